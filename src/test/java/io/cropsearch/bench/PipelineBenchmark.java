package io.cropsearch.bench;

import io.cropsearch.engine.codec.ImageDecoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceBox;
import io.cropsearch.engine.face.FaceEmbedder;
import io.cropsearch.engine.face.FacePipeline;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The whole face pipeline on one thread, per image, from the encoded bytes a caller sends, and each stage alone:
 * decode, detect, landmarks (tiny for FAST, full for ACCURATE), align + describe. Images: a 120 px crop of the
 * real-photo evaluation set (PNG) and a 150 px photo of face-api.js's examples. docs/ENGINE.md has the figures.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
public class PipelineBenchmark {

    @Param({"src/test/resources/engine/eval/crops/amy2.png", "src/test/resources/engine/jpeg/sample2-face1.q90.jpg"})
    public String image;

    private FacePipeline pipeline;
    private byte[] bytes;
    private Rgb decoded;
    private FaceBox box;
    private FacePipeline.Landmarks tinyLandmarks;
    private FacePipeline.Landmarks fullLandmarks;

    @Setup
    public void setUp() throws IOException {
        pipeline = FacePipeline.shared();
        bytes = Files.readAllBytes(Path.of(image));
        decoded = ImageDecoder.decode(bytes);
        box = pipeline.detect(decoded).orElseThrow(() -> new IllegalStateException("no face in " + image));
        tinyLandmarks = pipeline.landmarks(decoded, box, FacePipeline.Mode.FAST);
        fullLandmarks = pipeline.landmarks(decoded, box, FacePipeline.Mode.ACCURATE);
    }

    @Benchmark
    public float[] fastWholePipeline() {
        return pipeline.describe(ImageDecoder.decode(bytes), FacePipeline.Mode.FAST).orElseThrow().descriptor();
    }

    @Benchmark
    public float[] accurateWholePipeline() {
        return pipeline.describe(ImageDecoder.decode(bytes), FacePipeline.Mode.ACCURATE).orElseThrow().descriptor();
    }

    @Benchmark
    public Rgb stageDecode() {
        return ImageDecoder.decode(bytes);
    }

    @Benchmark
    public FaceBox stageDetect() {
        return pipeline.detect(decoded).orElseThrow();
    }

    @Benchmark
    public FacePipeline.Landmarks stageTinyLandmarks() {
        return pipeline.landmarks(decoded, box, FacePipeline.Mode.FAST);
    }

    @Benchmark
    public FacePipeline.Landmarks stageFullLandmarks() {
        return pipeline.landmarks(decoded, box, FacePipeline.Mode.ACCURATE);
    }

    @Benchmark
    public float[] stageFastAlignAndDescribe() {
        return pipeline.describe(decoded, tinyLandmarks, FacePipeline.Mode.FAST);
    }

    @Benchmark
    public float[] stageAccurateAlignAndDescribe() {
        return pipeline.describe(decoded, fullLandmarks, FacePipeline.Mode.ACCURATE);
    }

    /** Heap held by the engine once every net is loaded and has run: weights plus one call's scratch. */
    public static void main(String[] args) throws IOException {
        Runtime rt = Runtime.getRuntime();
        long before = used(rt);
        PipelineBenchmark b = new PipelineBenchmark();
        b.image = args.length > 0 ? args[0] : "src/test/resources/engine/eval/crops/amy2.png";
        b.setUp();
        b.accurateWholePipeline();
        b.fastWholePipeline();
        long after = used(rt);
        System.out.printf("engine heap after loading all nets and one search per mode: %.1f MB (descriptor %d floats)%n",
                (after - before) / 1e6, FaceEmbedder.DIMENSIONS);
    }

    private static long used(Runtime rt) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
