package io.cropsearch.engine.index;

import io.cropsearch.engine.Fixtures;

import io.cropsearch.engine.face.FaceEmbedder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class GalleryIndexTest {

    private final Random random = new Random(7);

    private float[] randomDescriptor() {
        float[] d = new float[FaceEmbedder.DIMENSIONS];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (random.nextGaussian() * 0.12);
        }
        return d;
    }

    /** Brute force over a plain map, the specification the index must agree with. */
    private static List<GalleryIndex.Match> bruteForce(Map<Integer, float[]> all, float[] q, int k) {
        List<GalleryIndex.Match> out = new ArrayList<>();
        all.forEach((id, d) -> out.add(new GalleryIndex.Match(id, FaceEmbedder.distance(q, d))));
        out.sort(Comparator.comparingDouble(GalleryIndex.Match::distance));
        return out.subList(0, Math.min(k, out.size()));
    }

    @Test
    void searchAgreesWithBruteForceAcrossAddsReplacesAndRemoves() {
        GalleryIndex index = new GalleryIndex();
        Map<Integer, float[]> truth = new HashMap<>();
        // more than two blocks, so moves across blocks and a partly filled last block are exercised
        for (int i = 0; i < 2 * GalleryIndex.BLOCK + 77; i++) {
            float[] d = randomDescriptor();
            index.add(i * 3, d);
            truth.put(i * 3, d);
        }
        for (int i = 0; i < 400; i++) {
            int id = random.nextInt(2 * GalleryIndex.BLOCK + 77) * 3;
            assertEquals(truth.remove(id) != null, index.remove(id));
        }
        for (int i = 0; i < 50; i++) {
            int id = random.nextInt(2 * GalleryIndex.BLOCK + 77) * 3;
            float[] d = randomDescriptor();
            index.add(id, d); // replaces or re-adds
            truth.put(id, d);
        }
        assertEquals(truth.size(), index.size());
        for (int t = 0; t < 20; t++) {
            float[] q = randomDescriptor();
            List<GalleryIndex.Match> want = bruteForce(truth, q, 10);
            List<GalleryIndex.Match> got = index.search(q, 10);
            assertEquals(want.size(), got.size());
            // 16-bit codes move distances by ~1e-4, so near-ties may swap: compare distances rank by rank, and check
            // that every returned id really lies at the distance reported for it
            for (int i = 0; i < want.size(); i++) {
                GalleryIndex.Match g = got.get(i);
                assertEquals(want.get(i).distance(), g.distance(), 2e-4, "rank " + i);
                assertEquals(FaceEmbedder.distance(q, truth.get(g.id())), g.distance(), 2e-4, "id " + g.id());
            }
        }
        truth.forEach((id, d) -> assertArrayEquals(d, index.get(id), 3.1e-5f));
    }

    @Test
    void realDescriptorsFindThemselvesFirstAndHonourMaxDistance() {
        GalleryIndex index = new GalleryIndex();
        List<Fixtures.Reference> refs = Fixtures.referenceDescriptors().stream()
                .filter(r -> !r.file().contains("-wide") && !r.file().contains("-tall")).toList();
        for (int i = 0; i < refs.size(); i++) {
            index.add(i, refs.get(i).descriptor());
        }
        for (int i = 0; i < refs.size(); i++) {
            List<GalleryIndex.Match> hits = index.search(refs.get(i).descriptor(), 3);
            assertEquals(i, hits.get(0).id());
            assertEquals(0f, hits.get(0).distance(), 1e-3);
            assertTrue(hits.get(1).distance() >= hits.get(0).distance());
            for (GalleryIndex.Match m : index.search(refs.get(i).descriptor(), 50, 0.5f)) {
                assertTrue(m.distance() <= 0.5f);
            }
        }
        assertTrue(index.search(refs.get(0).descriptor(), 0).isEmpty());
    }

    @Test
    void removingEverythingLeavesAnEmptyIndex() {
        GalleryIndex index = new GalleryIndex();
        for (int i = 0; i < GalleryIndex.BLOCK + 1; i++) {
            index.add(-i, randomDescriptor());
        }
        for (int i = 0; i < GalleryIndex.BLOCK + 1; i++) {
            assertTrue(index.remove(-i));
        }
        assertFalse(index.remove(0));
        assertNull(index.get(0));
        assertEquals(0, index.size());
        assertTrue(index.search(randomDescriptor(), 5).isEmpty());
    }

    @Test
    void memoryPerEntryStaysWithinBudget() {
        GalleryIndex index = new GalleryIndex();
        for (int i = 0; i < 20 * GalleryIndex.BLOCK; i++) {
            index.add(i, randomDescriptor());
        }
        double bytes = index.bytesPerEntry();
        assertTrue(bytes <= 600, "bytes per entry " + bytes);
    }

    @Test
    void concurrentSearchesAndWritesStayConsistent() throws Exception {
        GalleryIndex index = new GalleryIndex();
        float[] anchor = randomDescriptor();
        index.add(-1, anchor);
        for (int i = 0; i < 3000; i++) {
            index.add(i, randomDescriptor());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int base = 10_000 * (w + 1);
                futures.add(pool.submit(() -> {
                    Random r = new Random(base);
                    for (int i = 0; i < 2000; i++) {
                        float[] d = new float[FaceEmbedder.DIMENSIONS];
                        d[r.nextInt(d.length)] = 1f;
                        index.add(base + i, d);
                        if (i % 2 == 0) {
                            index.remove(base + i / 2);
                        }
                    }
                }));
            }
            for (int s = 0; s < 2; s++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        // the anchor is never touched by the writers, so it must always come back first
                        List<GalleryIndex.Match> hits = index.search(anchor, 1);
                        assertEquals(-1, hits.get(0).id());
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1 + 3000 + 2 * 1000, index.size());
    }
}
