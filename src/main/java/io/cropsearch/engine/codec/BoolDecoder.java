package io.cropsearch.engine.codec;

/**
 * The VP8 boolean entropy decoder (RFC 6386, section 7): each call splits the current range in proportion to the
 * probability (out of 256) that the bit is 0.
 *
 * <p>Bytes past the end of a partition read as zeros, as in the RFC's reference decoder, whose 16-bit window looks
 * one byte ahead of the bits it decides on. Needing more than that means the partition is truncated: libwebp
 * reports it as an error, and so does this decoder (valid files from cwebp never read past their end at all; the
 * encoders pad their partitions).
 */
final class BoolDecoder {

    /** Zero bytes past the end that are tolerated: the look-ahead byte, and one more for leniency. */
    private static final int MAX_OVERREAD = 2;

    private final byte[] data;
    private final int end;
    private int pos;
    private int overread;
    /** Two bytes of the stream: the high one is compared with the split, the low one is look-ahead. */
    private int value;
    private int range = 255;
    private int bitCount;

    BoolDecoder(byte[] data, int offset, int length) {
        this.data = data;
        this.pos = offset;
        this.end = offset + length;
        value = (nextByte() << 8) | nextByte();
    }

    private int nextByte() {
        if (pos < end) {
            return data[pos++] & 0xFF;
        }
        if (++overread > MAX_OVERREAD) {
            throw new ImageDecodeException("truncated VP8 partition");
        }
        return 0;
    }

    /** One bit whose probability of being 0 is {@code prob}/256. */
    int readBool(int prob) {
        int split = 1 + (((range - 1) * prob) >> 8);
        int bigSplit = split << 8;
        int bit;
        if (value >= bigSplit) {
            bit = 1;
            range -= split;
            value -= bigSplit;
        } else {
            bit = 0;
            range = split;
        }
        while (range < 128) {
            value <<= 1;
            range <<= 1;
            if (++bitCount == 8) {
                bitCount = 0;
                value |= nextByte();
            }
        }
        return bit;
    }

    /** An unsigned n-bit literal, most significant bit first, each bit at probability 1/2. */
    int readLiteral(int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | readBool(128);
        }
        return v;
    }

    /** A magnitude of n bits followed by a sign bit (the header's signed fields). */
    int readSigned(int n) {
        int v = readLiteral(n);
        return readBool(128) == 1 ? -v : v;
    }

    /** An optional field: a flag bit, then a signed n-bit value if set, else 0. */
    int readOptionalSigned(int n) {
        return readBool(128) == 1 ? readSigned(n) : 0;
    }
}
