package io.cropsearch.bench;

import io.cropsearch.engine.codec.PngDecoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceLandmarkNet;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
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
 *
 * <p>JMH: {@code tools/bench/run-jmh.sh FaceLandmarkNetBenchmark -f 1 -wi 3 -i 5} (wall clock). {@link #main} times
 * the same calls by thread CPU time, which a shared machine's load inflates much less (as {@code CpuTimeProbe} does
 * for descriptors): after run-jmh.sh has written the classpath, {@code java -cp
 * "target/test-classes:target/classes:$(cat target/jmh.classpath)" io.cropsearch.bench.FaceLandmarkNetBenchmark}.
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

    public static void main(String[] args) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        FaceLandmarkNetBenchmark b = new FaceLandmarkNetBenchmark();
        b.setUp();
        System.out.printf("load average at start: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (String name : new String[] {"full", "tiny"}) {
            FaceLandmarkNet net = name.equals("full") ? b.full : b.tiny;
            for (int i = 0; i < 300; i++) {
                net.detect(b.crop);
            }
            double[] cpu = new double[101];
            double[] wall = new double[cpu.length];
            for (int i = 0; i < cpu.length; i++) {
                long c0 = threads.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                net.detect(b.crop);
                cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
                wall[i] = (System.nanoTime() - w0) / 1e6;
            }
            Arrays.sort(cpu);
            Arrays.sort(wall);
            System.out.printf("%s: CPU median %.2f ms (p10 %.2f, p90 %.2f), wall median %.2f ms%n", name, cpu[50],
                    cpu[10], cpu[90], wall[50]);
        }
        System.out.printf("load average at end: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
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
