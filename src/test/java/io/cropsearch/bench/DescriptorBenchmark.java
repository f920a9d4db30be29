package io.cropsearch.bench;

import io.cropsearch.engine.codec.PngDecoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceEmbedder;

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
 * Descriptor cost of the embedded engine on a 120x120 fixture crop (resized to 150x150 inside, like face-api.js).
 * {@code singleThread}: ms per descriptor on one thread. {@code allCores}: descriptors per second with one thread per
 * available processor.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 3)
public class DescriptorBenchmark {

    private FaceEmbedder embedder;
    private Rgb crop;
    private byte[] jpeg;

    @Setup
    public void setUp() throws IOException {
        embedder = FaceEmbedder.shared();
        crop = PngDecoder.decode(resource("/engine/crops/sample1-face1.png"));
        jpeg = resource("/engine/jpeg/sample2-face1.q90.jpg");
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = DescriptorBenchmark.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing " + path + " (run from the test classpath)");
            }
            return in.readAllBytes();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Threads(1)
    public float[] singleThread() {
        return embedder.embed(crop);
    }

    /** JPEG bytes to descriptor: the decode is included. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Threads(1)
    public float[] singleThreadFromJpeg() {
        return embedder.embed(jpeg);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(Threads.MAX)
    public float[] allCores() {
        return embedder.embed(crop);
    }
}
