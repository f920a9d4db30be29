package io.cropsearch.bench;

import io.cropsearch.engine.codec.PngDecoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceBox;
import io.cropsearch.engine.face.TinyFaceDetector;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One tiny-face-detector pass on one thread, per input size: face-api.js's faces.jpg (710x473, six faces; decoded
 * once) and a 120x120 fixture crop. The cost is mostly the network, which depends on the input size only.
 * Run: {@code tools/bench/run-jmh.sh TinyFaceDetectorBenchmark}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
public class TinyFaceDetectorBenchmark {

    @Param({"96", "128", "160", "224", "416"})
    public int inputSize;

    private TinyFaceDetector detector;
    private Rgb photo;
    private Rgb crop;

    @Setup
    public void setUp() throws IOException {
        detector = TinyFaceDetector.load();
        photo = PngDecoder.decode(resource("/engine/detector/faces.jpg.png"));
        crop = PngDecoder.decode(resource("/engine/crops/sample1-face1.png"));
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = TinyFaceDetectorBenchmark.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing " + path + " (run from the test classpath)");
            }
            return in.readAllBytes();
        }
    }

    @Benchmark
    public List<FaceBox> photo() {
        return detector.detect(photo, inputSize, 0.5f);
    }

    @Benchmark
    public List<FaceBox> crop() {
        return detector.detect(crop, inputSize, 0.5f);
    }
}
