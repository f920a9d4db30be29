package io.cropsearch.bench;

import io.cropsearch.engine.codec.PngDecoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.TinyFaceDetector;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Companion to {@link TinyFaceDetectorBenchmark} for a shared machine (see {@link CpuTimeProbe}): one detection of
 * faces.jpg (710x473) per input size, timed by the thread's CPU time and the wall clock; medians after a warm-up.
 * Run from the repository root after tools/bench/run-jmh.sh has written target/jmh.classpath:
 * {@code java -cp target/test-classes:target/classes:$(cat target/jmh.classpath) io.cropsearch.bench.TinyFaceDetectorCpuProbe}
 */
public final class TinyFaceDetectorCpuProbe {

    private TinyFaceDetectorCpuProbe() {
    }

    public static void main(String[] args) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("load average at start: %.2f on %d processors%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        TinyFaceDetector detector = TinyFaceDetector.load();
        Rgb photo;
        try (InputStream in = TinyFaceDetectorCpuProbe.class.getResourceAsStream("/engine/detector/faces.jpg.png")) {
            photo = PngDecoder.decode(in.readAllBytes());
        }
        for (int size : new int[] {96, 128, 160, 224, 320, 416}) {
            // about two seconds of work per size: warm-up, then as many timed runs
            int runs = Math.max(20, 2_000_000 / (size * size / 10));
            for (int i = 0; i < runs; i++) {
                detector.detect(photo, size, 0.5f);
            }
            double[] cpu = new double[runs];
            double[] wall = new double[runs];
            for (int i = 0; i < runs; i++) {
                long c0 = threads.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                detector.detect(photo, size, 0.5f);
                cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
                wall[i] = (System.nanoTime() - w0) / 1e6;
            }
            Arrays.sort(cpu);
            Arrays.sort(wall);
            System.out.printf("inputSize %3d: CPU %.2f ms (p10 %.2f, p90 %.2f), wall %.2f ms, %d runs%n", size,
                    cpu[runs / 2], cpu[runs / 10], cpu[runs * 9 / 10], wall[runs / 2], runs);
        }
    }
}
