package io.cropsearch.bench;

import io.cropsearch.engine.codec.Downscale;
import io.cropsearch.engine.codec.ImageDecoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceBox;
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
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whole photos on one thread (docs/EMBEDDED.md, "Whole photos"), from decoded pixels:
 * <ul>
 *   <li>{@code largestFaceDescriptor}: detect (the photo pass: area-shrunk to 416 and to 512), tiny landmarks and the
 *   FAST descriptor of the largest face, on a 1024 px photo (face-api.js's bbt1.jpg, 1366 x 768, area-shrunk to
 *   1024 x 576: a real photo);</li>
 *   <li>{@code detectAll}: the photo pass alone on a 4096 px photo (bbt1.jpg enlarged three times by pixel
 *   repetition and cut to 4096 x 2304: the size and the memory are real, the content is a real photo, enlarged).</li>
 * </ul>
 * {@code main} prints the memory figures: bytes allocated per call by the calling thread (everything a call creates
 * is allocated on that thread; the photo itself is the caller's).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
public class PhotoBenchmark {

    /** The source photo: face-api.js's bbt1.jpg, committed as its jpeg-js decode. */
    static final String SOURCE = "src/test/resources/engine/detector/bbt1.jpg.png";

    @Param({"1024", "4096"})
    public int side;

    private FacePipeline pipeline;
    private Rgb photo;

    @Setup
    public void setUp() throws IOException {
        pipeline = FacePipeline.shared();
        photo = photo(side);
    }

    /** bbt1 at {@code side} px on its longer side: area-shrunk (1024) or enlarged by pixel repetition and cut (4096). */
    static Rgb photo(int side) throws IOException {
        Rgb source = ImageDecoder.decode(Files.readAllBytes(Path.of(SOURCE)));
        if (side <= source.width()) {
            int[] size = Downscale.fit(source.width(), source.height(), side);
            return Downscale.area(source, size[0], size[1]);
        }
        int k = (side + source.width() - 1) / source.width();
        int w = side;
        int h = source.height() * k;
        byte[] out = new byte[w * h * 3];
        byte[] in = source.pixels();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(in, ((y / k) * source.width() + x / k) * 3, out, (y * w + x) * 3, 3);
            }
        }
        return new Rgb(w, h, out);
    }

    @Benchmark
    public float[] largestFaceDescriptor() {
        FaceBox box = pipeline.detect(photo).orElseThrow();
        return pipeline.describe(photo, pipeline.landmarks(photo, box, FacePipeline.Mode.FAST), FacePipeline.Mode.FAST);
    }

    @Benchmark
    public List<FaceBox> detectAll() {
        return pipeline.detectAll(photo);
    }

    /**
     * The companion figures for a shared machine: per workload the median thread CPU time (what one dedicated core
     * would take; wall-clock JMH figures grow with the machine's load) and the bytes allocated per call by the calling
     * thread, after warm-up. Also the area shrink alone. Run: {@code java -cp ... io.cropsearch.bench.PhotoBenchmark}.
     */
    public static void main(String[] args) throws IOException {
        System.out.printf("load average at start: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int side : new int[] {1024, 4096}) {
            PhotoBenchmark b = new PhotoBenchmark();
            b.side = side;
            b.setUp();
            String what = b.photo.width() + " x " + b.photo.height();
            for (int i = 0; i < 20; i++) {
                b.largestFaceDescriptor();
                b.detectAll();
            }
            report(what + " detect + landmarks + descriptor", 21, b::largestFaceDescriptor);
            report(what + " detectAll", 21, b::detectAll);
            for (int target : new int[] {416, 512}) {
                int[] size = Downscale.fit(b.photo.width(), b.photo.height(), target);
                Rgb photo = b.photo;
                report(what + " area shrink to " + size[0] + " x " + size[1], 21,
                        () -> Downscale.area(photo, size[0], size[1]));
            }
        }
        System.out.printf("load average at end: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void report(String what, int runs, Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double[] cpu = new double[runs];
        double[] wall = new double[runs];
        long allocated = 0;
        for (int i = 0; i < runs; i++) {
            long a0 = threads.getCurrentThreadAllocatedBytes();
            long c0 = threads.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            work.run();
            wall[i] = (System.nanoTime() - w0) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
            allocated = threads.getCurrentThreadAllocatedBytes() - a0;
        }
        java.util.Arrays.sort(cpu);
        java.util.Arrays.sort(wall);
        System.out.printf("%-55s cpu median %7.1f ms (p10 %.1f, p90 %.1f)  wall median %7.1f ms  allocated %.1f MB/call%n",
                what, cpu[runs / 2], cpu[runs / 10], cpu[runs * 9 / 10], wall[runs / 2], allocated / 1e6);
    }
}
