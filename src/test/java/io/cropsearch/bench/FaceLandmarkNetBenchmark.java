package io.cropsearch.bench;

import io.cropsearch.engine.codec.PngDecoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceLandmarkNet;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Landmark cost on one thread, per face: a 120x120 fixture crop (resized to the nets' 112x112 input inside, like
 * face-api.js), decoded once. {@code full}: FaceLandmark68Net; {@code tiny}: FaceLandmark68TinyNet.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
public class FaceLandmarkNetBenchmark {

    private FaceLandmarkNet full;
    private FaceLandmarkNet tiny;
    private Rgb crop;

    @Setup
    public void setUp() throws IOException {
        full = FaceLandmarkNet.loadFull();
        tiny = FaceLandmarkNet.loadTiny();
        try (InputStream in = FaceLandmarkNetBenchmark.class.getResourceAsStream("/engine/crops/sample1-face1.png")) {
            if (in == null) {
                throw new IOException("missing fixture crop (run from the test classpath)");
            }
            crop = PngDecoder.decode(in.readAllBytes());
        }
    }

    @Benchmark
    public float[] full() {
        return full.detect(crop);
    }

    @Benchmark
    public float[] tiny() {
        return tiny.detect(crop);
    }
}
