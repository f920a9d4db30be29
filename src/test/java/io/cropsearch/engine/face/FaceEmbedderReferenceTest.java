package io.cropsearch.engine.face;

import io.cropsearch.engine.codec.Rgb;

import io.cropsearch.engine.Fixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java engine against descriptors computed by face-api.js 0.22.2 (tools/reference/make-reference.js). */
class FaceEmbedderReferenceTest {

    private static final double TOLERANCE = 1e-4;

    private static FaceEmbedder embedder;
    private static List<Fixtures.Reference> references;

    @BeforeAll
    static void load() {
        embedder = FaceEmbedder.shared();
        references = Fixtures.referenceDescriptors();
    }

    @Test
    void everyFixtureMatchesTheReferenceWithinTolerance() {
        assertTrue(references.size() >= 20, "expected the full fixture set, got " + references.size());
        double worst = 0;
        String worstFile = null;
        for (Fixtures.Reference ref : references) {
            float[] got = embedder.embed(Fixtures.crop(ref.file()));
            assertEquals(FaceEmbedder.DIMENSIONS, got.length);
            double max = 0;
            for (int i = 0; i < got.length; i++) {
                max = Math.max(max, Math.abs(got[i] - ref.descriptor()[i]));
            }
            assertTrue(max <= TOLERANCE, ref.file() + ": max abs error " + max);
            if (max >= worst) {
                worst = max;
                worstFile = ref.file();
            }
        }
        System.out.printf("engine vs face-api.js: max abs error %.3g (%s) over %d crops%n", worst, worstFile, references.size());
    }

    @Test
    void referencesAreRealDescriptorsOfDistinctFaces() {
        // guards against a degenerate reference file (zeros, or the same vector repeated) that anything would match
        for (Fixtures.Reference ref : references) {
            double norm = 0;
            for (float v : ref.descriptor()) {
                norm += v * v;
            }
            assertTrue(Math.sqrt(norm) > 1.0 && Math.sqrt(norm) < 2.0, ref.file() + " norm " + Math.sqrt(norm));
        }
        float d = FaceEmbedder.distance(references.get(0).descriptor(), references.get(1).descriptor());
        assertTrue(d > 0.3f, "two different people should be far apart, got " + d);
    }

    @Test
    void warmUpLeavesResultsUnchanged() {
        Rgb a = Fixtures.crop(references.get(0).file());
        float[] before = embedder.embed(a);
        embedder.warmUp(2);
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, embedder.embed(a));
    }

    @Test
    void concurrentCallsGiveTheSameResultAsSequentialOnes() throws Exception {
        Rgb a = Fixtures.crop(references.get(0).file());
        Rgb b = Fixtures.crop(references.get(1).file());
        float[] expectA = embedder.embed(a);
        float[] expectB = embedder.embed(b);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
            for (int i = 0; i < 8; i++) {
                boolean useA = i % 2 == 0;
                futures.add(pool.submit(() -> java.util.Arrays.equals(embedder.embed(useA ? a : b), useA ? expectA : expectB)));
            }
            for (var f : futures) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
