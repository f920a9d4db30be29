package io.cropsearch.bench;

import io.cropsearch.engine.codec.PngDecoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceEmbedder;
import io.cropsearch.engine.index.GalleryIndex;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * Companion to the JMH benchmarks for shared machines: the same single-thread workloads timed by the thread's CPU
 * time as well as by the wall clock. When other processes compete for the cores, wall-clock figures (JMH's) grow
 * with the machine's load; CPU time stays close to what one dedicated core would take (cache and memory-bandwidth
 * contention still leak in). Prints medians over repeated runs after a warm-up.
 *
 * <p>Run with {@code tools/bench/cpu-probe.sh}.
 */
public final class CpuTimeProbe {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws IOException {
        System.out.printf("load average at start: %.2f on %d processors, %s %s%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        FaceEmbedder embedder = FaceEmbedder.shared();
        Rgb crop = PngDecoder.decode(resource("/engine/crops/sample1-face1.png"));
        for (int i = 0; i < 200; i++) {
            embedder.embed(crop);
        }
        report("descriptor (120x120 crop)", 100, () -> embedder.embed(crop));

        for (int size : new int[] {10_000, 100_000, 1_000_000}) {
            GalleryIndex index = new GalleryIndex();
            Random random = new Random(size);
            float[] d = new float[FaceEmbedder.DIMENSIONS];
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < d.length; j++) {
                    d[j] = (float) (random.nextGaussian() * 0.125);
                }
                index.add(i, d);
            }
            float[] q = d.clone();
            for (int i = 0; i < (size >= 1_000_000 ? 30 : 1000); i++) {
                index.search(q, 10);
            }
            report(String.format("gallery top-10 of %,d (%.0f bytes/face)", size, index.bytesPerEntry()),
                    size >= 1_000_000 ? 30 : 100, () -> index.search(q, 10));
        }
        System.out.printf("load average at end: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void report(String what, int runs, Runnable work) {
        double[] cpu = new double[runs];
        double[] wall = new double[runs];
        for (int i = 0; i < runs; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            work.run();
            wall[i] = (System.nanoTime() - w0) / 1e6;
            cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        System.out.printf("%-45s cpu median %7.2f ms (p10 %.2f, p90 %.2f)   wall median %7.2f ms%n", what,
                cpu[runs / 2], cpu[runs / 10], cpu[runs * 9 / 10], wall[runs / 2]);
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = CpuTimeProbe.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing " + path + " (run from the test classpath)");
            }
            return in.readAllBytes();
        }
    }
}
