package io.cropsearch.bench;

import io.cropsearch.engine.face.FaceEmbedder;
import io.cropsearch.engine.index.GalleryIndex;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Top-10 search over a gallery of synthetic descriptors (Gaussian components, norm about 1.4 like the network's; the
 * cost of an exhaustive search does not depend on the values). One thread. Also prints the memory per enrolled face:
 * the index's own count from its array sizes, and the heap growth measured around filling it.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
public class GallerySearchBenchmark {

    @Param({"10000", "100000", "1000000"})
    public int size;

    private GalleryIndex index;
    private float[][] queries;
    private int next;

    @Setup(Level.Trial)
    public void fill() {
        Random random = new Random(size);
        long before = usedHeap();
        index = new GalleryIndex();
        float[] d = new float[FaceEmbedder.DIMENSIONS];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < d.length; j++) {
                d[j] = (float) (random.nextGaussian() * 0.125);
            }
            index.add(i, d);
        }
        long after = usedHeap();
        System.out.printf("%n[gallery] %d faces: %.1f bytes/face by array sizes, %.1f bytes/face by heap growth%n",
                size, index.bytesPerEntry(), (double) (after - before) / size);
        queries = new float[64][FaceEmbedder.DIMENSIONS];
        for (float[] q : queries) {
            for (int j = 0; j < q.length; j++) {
                q[j] = (float) (random.nextGaussian() * 0.125);
            }
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Benchmark
    public List<GalleryIndex.Match> top10() {
        next = (next + 1) & 63;
        return index.search(queries[next], 10);
    }
}
