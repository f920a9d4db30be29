package io.cropsearch.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * In-memory gallery of enrolled face descriptors with exact top-k search by Euclidean distance.
 *
 * <p>Layout: blocks of {@value #BLOCK} entries, each block storing one {@code float[BLOCK]} per descriptor dimension
 * (dimension-major). A search walks every block accumulating {@code (q[d] - x[d])^2} over the block's entries with
 * the entry index as the only array index, which JDK 17's C2 vectorises; narrower codes (int8, float16) would be
 * smaller but C2 17 does not vectorise mixed-width arithmetic, and the scalar loop is several times slower than
 * streaming floats. Distances are exact (float32 descriptors), so no re-ranking pass is needed.
 * Memory: 128 x 4 bytes + a 4-byte id per entry, plus a 16-byte-per-entry id table for removal
 * ({@link #bytesPerEntry()} reports the figure from the actual array sizes).
 *
 * <p>Thread-safe: searches share a read lock; add and remove take the write lock.
 */
public final class GalleryIndex {

    static final int BLOCK = 512;
    private static final int DIMS = FaceEmbedder.DIMENSIONS;

    /** One search hit; {@code distance} is Euclidean, smaller is more similar. */
    public record Match(int id, float distance) {
    }

    private static final class Block {
        final float[][] dims = new float[DIMS][BLOCK];
        final int[] ids = new int[BLOCK];
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<Block> blocks = new ArrayList<>();
    private final IntIntMap slots = new IntIntMap();
    private int size;

    public int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Adds a descriptor under {@code id}, replacing any descriptor already stored under that id.
     *
     * @param id any int except {@link Integer#MIN_VALUE}
     */
    public void add(int id, float[] descriptor) {
        checkDescriptor(descriptor);
        if (id == IntIntMap.EMPTY) {
            throw new IllegalArgumentException("id " + id + " is reserved");
        }
        lock.writeLock().lock();
        try {
            int slot = slots.get(id);
            if (slot < 0) {
                slot = size++;
                if (slot / BLOCK == blocks.size()) {
                    blocks.add(new Block());
                }
                slots.put(id, slot);
            }
            Block b = blocks.get(slot / BLOCK);
            int lane = slot % BLOCK;
            b.ids[lane] = id;
            for (int d = 0; d < DIMS; d++) {
                b.dims[d][lane] = descriptor[d];
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the descriptor stored under {@code id}; false when there was none. */
    public boolean remove(int id) {
        lock.writeLock().lock();
        try {
            int slot = slots.remove(id);
            if (slot < 0) {
                return false;
            }
            // keep the entries dense: the last entry moves into the hole
            int last = --size;
            if (slot != last) {
                Block from = blocks.get(last / BLOCK);
                Block to = blocks.get(slot / BLOCK);
                int fl = last % BLOCK;
                int tl = slot % BLOCK;
                for (int d = 0; d < DIMS; d++) {
                    to.dims[d][tl] = from.dims[d][fl];
                }
                to.ids[tl] = from.ids[fl];
                slots.put(to.ids[tl], slot);
            }
            if (size % BLOCK == 0 && blocks.size() > size / BLOCK) {
                blocks.remove(blocks.size() - 1);
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** A copy of the descriptor stored under {@code id}, or null. */
    public float[] get(int id) {
        lock.readLock().lock();
        try {
            int slot = slots.get(id);
            if (slot < 0) {
                return null;
            }
            Block b = blocks.get(slot / BLOCK);
            float[] out = new float[DIMS];
            for (int d = 0; d < DIMS; d++) {
                out[d] = b.dims[d][slot % BLOCK];
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The {@code k} nearest entries, nearest first. */
    public List<Match> search(float[] query, int k) {
        return search(query, k, Float.POSITIVE_INFINITY);
    }

    /** The {@code k} nearest entries no farther than {@code maxDistance}, nearest first. */
    public List<Match> search(float[] query, int k, float maxDistance) {
        checkDescriptor(query);
        if (k <= 0) {
            return List.of();
        }
        TopK top = new TopK(k, maxDistance * maxDistance);
        float[] acc = new float[BLOCK];
        lock.readLock().lock();
        try {
            for (int bi = 0; bi < blocks.size(); bi++) {
                Block b = blocks.get(bi);
                int n = Math.min(BLOCK, size - bi * BLOCK);
                Arrays.fill(acc, 0f);
                for (int d = 0; d < DIMS; d++) {
                    accumulate(query[d], b.dims[d], acc);
                }
                float worst = top.bound();
                for (int j = 0; j < n; j++) {
                    if (acc[j] < worst) {
                        top.offer(b.ids[j], acc[j]);
                        worst = top.bound();
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return top.sorted();
    }

    // Whole blocks, including unused lanes (they hold stale or zero values and are never offered), so the trip count
    // is the constant block size.
    private static void accumulate(float q, float[] x, float[] acc) {
        for (int j = 0; j < BLOCK; j++) {
            float t = q - x[j];
            acc[j] += t * t;
        }
    }

    /**
     * Bytes held per entry by this index's arrays (descriptor floats, ids, id table and the unused tail of the last
     * block), excluding JVM object headers which are negligible at these array sizes.
     */
    public double bytesPerEntry() {
        lock.readLock().lock();
        try {
            if (size == 0) {
                return 0;
            }
            long bytes = (long) blocks.size() * BLOCK * (DIMS * 4L + 4L) + slots.bytes();
            return (double) bytes / size;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static void checkDescriptor(float[] d) {
        if (d == null || d.length != DIMS) {
            throw new IllegalArgumentException("descriptor must have " + DIMS + " components");
        }
    }

    /** Bounded max-heap on squared distance. */
    private static final class TopK {
        private final int k;
        private final float limit;
        private final float[] dist;
        private final int[] ids;
        private int n;

        TopK(int k, float limit) {
            this.k = k;
            this.limit = limit;
            this.dist = new float[k];
            this.ids = new int[k];
        }

        /** Squared distances at or above this cannot enter. */
        float bound() {
            return n < k ? Math.nextUp(limit) : dist[0];
        }

        void offer(int id, float d) {
            if (n < k) {
                int i = n++;
                while (i > 0) {
                    int parent = (i - 1) / 2;
                    if (dist[parent] >= d) {
                        break;
                    }
                    dist[i] = dist[parent];
                    ids[i] = ids[parent];
                    i = parent;
                }
                dist[i] = d;
                ids[i] = id;
                return;
            }
            int i = 0;
            while (true) {
                int l = 2 * i + 1;
                if (l >= n) {
                    break;
                }
                int c = l + 1 < n && dist[l + 1] > dist[l] ? l + 1 : l;
                if (dist[c] <= d) {
                    break;
                }
                dist[i] = dist[c];
                ids[i] = ids[c];
                i = c;
            }
            dist[i] = d;
            ids[i] = id;
        }

        List<Match> sorted() {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Float.compare(dist[a], dist[b]));
            List<Match> out = new ArrayList<>(n);
            for (int i : order) {
                out.add(new Match(ids[i], (float) Math.sqrt(dist[i])));
            }
            return out;
        }
    }
}
