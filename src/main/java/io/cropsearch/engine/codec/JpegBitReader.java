package io.cropsearch.engine.codec;

/**
 * The JPEG byte stream and, inside a scan, its entropy-coded bits: byte stuffing (FF00) undone, up to 64 bits
 * buffered. A marker ends the coded data; past it the reader feeds zeros, so a truncated file decodes as grey instead
 * of failing. {@link #pos} is shared with the marker parser, which reads segments between scans.
 */
final class JpegBitReader {

    final byte[] data;
    int pos;
    private long bitBuf;
    private int bitCount;
    private boolean hitMarker;

    JpegBitReader(byte[] data) {
        this.data = data;
    }

    /** Starts reading bits at {@link #pos} (a scan start, or after a restart marker). */
    void reset() {
        bitBuf = 0;
        bitCount = 0;
        hitMarker = false;
    }

    private void fill() {
        while (bitCount <= 56) {
            int b = 0;
            if (!hitMarker && pos < data.length) {
                b = data[pos] & 0xFF;
                if (b == 0xFF) {
                    int next = pos + 1 < data.length ? data[pos + 1] & 0xFF : 0xD9;
                    if (next == 0x00) {
                        pos += 2;
                    } else {
                        // a marker ends the entropy-coded data; feed zeros (a truncated file decodes as grey)
                        hitMarker = true;
                        b = 0;
                    }
                } else {
                    pos++;
                }
            }
            bitBuf |= (long) b << (56 - bitCount);
            bitCount += 8;
        }
    }

    int bits(int n) {
        if (n == 0) {
            return 0;
        }
        if (bitCount < n) {
            fill();
        }
        int v = (int) (bitBuf >>> (64 - n));
        bitBuf <<= n;
        bitCount -= n;
        return v;
    }

    int decodeHuffman(JpegHuffman h) {
        if (bitCount < 16) {
            fill();
        }
        int peek = (int) (bitBuf >>> (64 - 9));
        int f = h.fast[peek];
        if (f != 0) {
            int len = f >> 8;
            bitBuf <<= len;
            bitCount -= len;
            return f & 0xFF;
        }
        int code = 0;
        for (int len = 1; len <= 16; len++) {
            code = (code << 1) | bits(1);
            if (h.maxCode[len] >= code && code >= h.minCode[len] && h.maxCode[len] != -1) {
                return h.values[h.valPtr[len] + code - h.minCode[len]] & 0xFF;
            }
        }
        throw new ImageDecodeException("bad Huffman code in JPEG");
    }

    /** The signed value of the {@code t} bits {@code v} (JPEG's EXTEND). */
    static int extend(int v, int t) {
        return t == 0 ? 0 : v < (1 << (t - 1)) ? v - (1 << t) + 1 : v;
    }

    /** At a restart interval's end: drop the rest of the current byte and step over the RSTn marker. */
    void restart() {
        reset();
        while (pos + 1 < data.length && !((data[pos] & 0xFF) == 0xFF && (data[pos + 1] & 0xFF) >= 0xD0
                && (data[pos + 1] & 0xFF) <= 0xD7)) {
            pos++;
        }
        if (pos + 1 < data.length) {
            pos += 2;
        }
    }

    /** After a scan: skip what is left of its entropy-coded data, up to the next real marker (or the end). */
    void skipToMarker() {
        while (pos + 1 < data.length) {
            int next = data[pos + 1] & 0xFF;
            if ((data[pos] & 0xFF) == 0xFF && next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                return;
            }
            pos++;
        }
        pos = data.length;
    }
}
