package io.cropsearch.engine.codec;

/**
 * Reads the VP8L (lossless WebP) bit stream: bits are packed least significant first, values are assembled least
 * significant bit first (RFC 9649, section 3.1). Reading past the end of the chunk is an error, never a zero fill:
 * a valid stream never needs bits it does not contain, so a short read means the file is truncated or corrupt.
 */
final class Vp8lBitReader {

    private final byte[] data;
    private final int end;
    private int pos;
    /** Bits not yet consumed, the next one in bit 0. */
    private long window;
    private int windowBits;

    Vp8lBitReader(byte[] data, int offset, int length) {
        this.data = data;
        this.pos = offset;
        this.end = offset + length;
    }

    /** Tops the window up to at least {@code n} bits if the input has them (n <= 56). */
    private void fill(int n) {
        while (windowBits < n && pos < end) {
            window |= (long) (data[pos++] & 0xFF) << windowBits;
            windowBits += 8;
        }
    }

    /** The next {@code n} (0..24) bits as an unsigned value. */
    int readBits(int n) {
        if (n == 0) {
            return 0;
        }
        fill(n);
        if (windowBits < n) {
            throw new ImageDecodeException("truncated lossless WebP stream");
        }
        int v = (int) (window & ((1L << n) - 1));
        window >>>= n;
        windowBits -= n;
        return v;
    }

    int readBit() {
        return readBits(1);
    }

    /**
     * Up to {@code n} (<= 24) next bits without consuming them, zero-padded past the end of the data; callers check
     * {@link #available} before consuming what they decoded from the padding.
     */
    int peekBits(int n) {
        fill(n);
        return (int) (window & ((1L << n) - 1));
    }

    /** How many bits {@link #peekBits} could really see (at most what was asked). */
    int available(int n) {
        fill(n);
        return Math.min(n, windowBits);
    }

    void skipBits(int n) {
        window >>>= n;
        windowBits -= n;
    }
}
