package io.cropsearch.engine.index;

import java.util.Arrays;

/**
 * int to non-negative int map, open addressing with linear probing: 8 bytes per slot at most 50% full, against about
 * 50 bytes per entry for a {@code HashMap<Integer, Integer>}, which would alone eat a tenth of the gallery's budget.
 * Not thread-safe; {@link GalleryIndex} guards it.
 */
final class IntIntMap {

    static final int EMPTY = Integer.MIN_VALUE;

    private int[] keys;
    private int[] values;
    private int size;

    IntIntMap() {
        alloc(16);
    }

    private void alloc(int capacity) {
        keys = new int[capacity];
        values = new int[capacity];
        Arrays.fill(keys, EMPTY);
    }

    private int mask() {
        return keys.length - 1;
    }

    private static int hash(int k) {
        int h = k * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** The value for {@code key}, or -1. */
    int get(int key) {
        int m = mask();
        for (int i = hash(key) & m; ; i = (i + 1) & m) {
            int k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return -1;
            }
        }
    }

    void put(int key, int value) {
        if ((size + 1) * 2 > keys.length) {
            int[] oldK = keys;
            int[] oldV = values;
            alloc(keys.length * 2);
            size = 0;
            for (int i = 0; i < oldK.length; i++) {
                if (oldK[i] != EMPTY) {
                    put(oldK[i], oldV[i]);
                }
            }
        }
        int m = mask();
        int i = hash(key) & m;
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & m;
        }
        if (keys[i] == EMPTY) {
            size++;
        }
        keys[i] = key;
        values[i] = value;
    }

    /** Removes {@code key}; returns its value, or -1. */
    int remove(int key) {
        int m = mask();
        int i = hash(key) & m;
        while (keys[i] != key) {
            if (keys[i] == EMPTY) {
                return -1;
            }
            i = (i + 1) & m;
        }
        int removed = values[i];
        // backward-shift deletion keeps every remaining key reachable without tombstones
        int hole = i;
        for (int j = (hole + 1) & m; keys[j] != EMPTY; j = (j + 1) & m) {
            int home = hash(keys[j]) & m;
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
        size--;
        return removed;
    }

    int size() {
        return size;
    }

    long bytes() {
        return keys.length * 8L;
    }
}
