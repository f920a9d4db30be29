package io.cropsearch.engine.index;

import io.cropsearch.engine.face.FaceEmbedder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * In-memory gallery of enrolled face descriptors with top-k search by Euclidean distance.
 *
 * <p>Descriptors are stored as 16-bit fixed point ({@code round(v * 2^14)}, a step of 6e-5, against component values of
 * about 0.1 and a match threshold of 0.6), so distances come out within about 1e-4 of the float computation and no
 * re-ranking pass is needed. Search uses {@code |x - q|^2 = |x|^2 + |q|^2 - 2 x.q} with the dot product in exact integer
 * arithmetic. Layout: blocks of {@value #BLOCK} entries; for each pair of dimensions a {@code short[2 * BLOCK]} with the
 * pair interleaved per entry, which is the shape C2 (JDK 17) compiles to {@code vpmaddwd}
 * ({@code out[i] += a[2i] * b[2i] + a[2i+1] * b[2i+1]}). Byte codes would halve the memory traffic but JDK 17 does not
 * vectorise byte-to-int arithmetic, and a scalar loop is slower than streaming twice the bytes. A full search is a
 * stream over 256 bytes per entry.
 * Memory: 256 bytes of codes, an 8-byte squared norm and a 4-byte id per entry, plus a 16-byte-per-entry id table
 * for removal ({@link #bytesPerEntry()} reports the figure from the actual array sizes).
 *
 * <p>Descriptors must have an L2 norm of at most {@value #MAX_NORM} (the network's are about 1.3-1.5): that bound is
 * what keeps every integer dot product inside an int.
 *
 * <p>Thread-safe: searches share a read lock; add and remove take the write lock.
 */
public final class GalleryIndex {

    // Large blocks measured fastest at 1M (24-26 ms against 29 at 512 entries per block, same machine, CPU time):
    // fewer, longer passes per dimension pair. The cost is a 1.1 MB first allocation, even for one face.
    static final int BLOCK = 4096;
    public static final float MAX_NORM = 2f;
    private static final int DIMS = FaceEmbedder.DIMENSIONS;
    private static final int PAIRS = DIMS / 2;
    private static final float SCALE = 1 << 14;
    private static final double SCALE_SQ = (double) SCALE * SCALE;

    /** One search hit; {@code distance} is Euclidean, smaller is more similar. */
    public record Match(int id, float distance) {
    }

    private static final class Block {
        // codes[p][2 * lane + e] = code of dimension 2p + e of entry lane
        final short[][] codes = new short[PAIRS][2 * BLOCK];
        final long[] norms = new long[BLOCK];
        final int[] ids = new int[BLOCK];

        void set(int lane, short[] code, long norm, int id) {
            for (int p = 0; p < PAIRS; p++) {
                codes[p][2 * lane] = code[2 * p];
                codes[p][2 * lane + 1] = code[2 * p + 1];
            }
            norms[lane] = norm;
            ids[lane] = id;
        }

        void copy(int lane, Block to, int toLane) {
            for (int p = 0; p < PAIRS; p++) {
                to.codes[p][2 * toLane] = codes[p][2 * lane];
                to.codes[p][2 * toLane + 1] = codes[p][2 * lane + 1];
            }
            to.norms[toLane] = norms[lane];
            to.ids[toLane] = ids[lane];
        }
    }

    private static short[] quantise(float[] d) {
        short[] c = new short[DIMS];
        for (int i = 0; i < DIMS; i++) {
            c[i] = (short) Math.round(d[i] * SCALE);
        }
        return c;
    }

    private static long norm(short[] c) {
        long n = 0;
        for (short v : c) {
            n += (long) v * v;
        }
        return n;
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    // per-search buffers (1 MB of replicated query at full block size), reused rather than allocated per query
    private final ConcurrentLinkedQueue<Scratch> scratchPool = new ConcurrentLinkedQueue<>();

    private static final class Scratch {
        final int[] dot = new int[BLOCK];
        final short[][] query = new short[PAIRS][2 * BLOCK];
    }
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
            short[] code = quantise(descriptor);
            blocks.get(slot / BLOCK).set(slot % BLOCK, code, norm(code), id);
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
                from.copy(last % BLOCK, to, slot % BLOCK);
                slots.put(to.ids[slot % BLOCK], slot);
            }
            if (size % BLOCK == 0 && blocks.size() > size / BLOCK) {
                blocks.remove(blocks.size() - 1);
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The descriptor stored under {@code id} (as stored: within 3.1e-5 per component of what was added), or null. */
    public float[] get(int id) {
        lock.readLock().lock();
        try {
            int slot = slots.get(id);
            if (slot < 0) {
                return null;
            }
            Block b = blocks.get(slot / BLOCK);
            int lane = slot % BLOCK;
            float[] out = new float[DIMS];
            for (int p = 0; p < PAIRS; p++) {
                out[2 * p] = b.codes[p][2 * lane] / SCALE;
                out[2 * p + 1] = b.codes[p][2 * lane + 1] / SCALE;
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
        short[] qc = quantise(query);
        long qn = norm(qc);
        // ranked on |x|^2 - 2 x.q (|q|^2 is common to all), in units of 2^-28
        double limit = (double) maxDistance * maxDistance * SCALE_SQ - qn;
        TopK top = new TopK(k, limit);
        Scratch scratch = scratchPool.poll();
        if (scratch == null) {
            scratch = new Scratch();
        }
        int[] dot = scratch.dot;
        short[][] q = scratch.query;
        lock.readLock().lock();
        try {
            // the query pair of each dimension pair, repeated per lane, so the inner loop indexes every array alike
            int lanes = Math.min(BLOCK, (size + 31) & ~31);
            for (int p = 0; p < PAIRS; p++) {
                for (int lane = 0; lane < lanes; lane++) {
                    q[p][2 * lane] = qc[2 * p];
                    q[p][2 * lane + 1] = qc[2 * p + 1];
                }
            }
            for (int bi = 0; bi < blocks.size(); bi++) {
                Block b = blocks.get(bi);
                int n = Math.min(BLOCK, size - bi * BLOCK);
                // the last block is usually partly filled: stop at the used lanes, rounded up to whole vectors
                int len = Math.min(lanes, (n + 31) & ~31);
                Arrays.fill(dot, 0, len, 0);
                for (int p = 0; p < PAIRS; p++) {
                    dotPairs(b.codes[p], q[p], dot, len);
                }
                double worst = top.bound();
                long[] norms = b.norms;
                for (int j = 0; j < n; j++) {
                    long v = norms[j] - 2L * dot[j];
                    if (v < worst) {
                        top.offer(b.ids[j], v);
                        worst = top.bound();
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
            scratchPool.offer(scratch);
        }
        return top.sorted(qn);
    }

    private static void dotPairs(short[] x, short[] q, int[] out, int len) {
        for (int i = 0; i < len; i++) {
            out[i] += x[2 * i] * q[2 * i] + x[2 * i + 1] * q[2 * i + 1];
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
            long bytes = (long) blocks.size() * BLOCK * (DIMS * 2L + 8L + 4L) + slots.bytes();
            return (double) bytes / size;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static void checkDescriptor(float[] d) {
        if (d == null || d.length != DIMS) {
            throw new IllegalArgumentException("descriptor must have " + DIMS + " components");
        }
        double n = 0;
        for (float v : d) {
            n += (double) v * v;
        }
        // also rejects NaN
        if (!(Math.sqrt(n) <= MAX_NORM)) {
            throw new IllegalArgumentException("descriptor norm " + Math.sqrt(n) + " is above " + MAX_NORM);
        }
    }

    /** Bounded max-heap on the ranking value. */
    private static final class TopK {
        private final int k;
        private final double limit;
        private final double[] val;
        private final int[] ids;
        private int n;

        TopK(int k, double limit) {
            this.k = k;
            this.limit = limit;
            this.val = new double[k];
            this.ids = new int[k];
        }

        /** Values at or above this cannot enter. */
        double bound() {
            return n < k ? Math.nextUp(limit) : val[0];
        }

        void offer(int id, double v) {
            if (n < k) {
                int i = n++;
                while (i > 0) {
                    int parent = (i - 1) / 2;
                    if (val[parent] >= v) {
                        break;
                    }
                    val[i] = val[parent];
                    ids[i] = ids[parent];
                    i = parent;
                }
                val[i] = v;
                ids[i] = id;
                return;
            }
            int i = 0;
            while (true) {
                int l = 2 * i + 1;
                if (l >= n) {
                    break;
                }
                int c = l + 1 < n && val[l + 1] > val[l] ? l + 1 : l;
                if (val[c] <= v) {
                    break;
                }
                val[i] = val[c];
                ids[i] = ids[c];
                i = c;
            }
            val[i] = v;
            ids[i] = id;
        }

        List<Match> sorted(long queryNorm) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(val[a], val[b]));
            List<Match> out = new ArrayList<>(n);
            for (int i : order) {
                double sq = Math.max(0, (val[i] + queryNorm) / SCALE_SQ);
                out.add(new Match(ids[i], (float) Math.sqrt(sq)));
            }
            return out;
        }
    }
}
