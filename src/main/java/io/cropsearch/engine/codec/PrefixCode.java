package io.cropsearch.engine.codec;

import java.util.Arrays;

/**
 * One canonical prefix (Huffman) code of the VP8L format (RFC 9649, section 3.7), built from code lengths.
 *
 * <p>The first bit read of a code word is its most significant bit, and the stream delivers bits least significant
 * first; so a code word, bit-reversed, is what the next bits of the stream look like. Code words up to
 * {@link #TABLE_BITS} long are decoded with one table look-up on the reversed bits; longer ones (rare: the encoder
 * gives them to rare symbols) fall back to walking the canonical code bit by bit. The table has 2^(longest code
 * word, at most TABLE_BITS) entries: a stream may declare thousands of codes, most of them short.
 */
final class PrefixCode {

    private static final int TABLE_BITS = 8;
    private static final int MAX_LENGTH = 15;

    /** For a single-symbol code: that symbol, read with zero bits (RFC 9649: "a code of length 0"). */
    private final int single;
    /** (length << 16) | symbol for each tableBits-bit peek, or -1 where the code word is longer. */
    private final int[] table;
    private final int tableBits;
    /** Canonical decoding state: symbols with non-zero lengths ordered by (length, symbol), and counts per length. */
    private final int[] counts;
    private final int[] sorted;

    private PrefixCode(int single, int[] table, int tableBits, int[] counts, int[] sorted) {
        this.single = single;
        this.table = table;
        this.tableBits = tableBits;
        this.counts = counts;
        this.sorted = sorted;
    }

    /**
     * Builds the code; lengths[i] is symbol i's code length (0 = unused). A code must be complete (its code words
     * cover every bit pattern), except that exactly one used symbol makes a zero-bit code; anything else is refused,
     * as libwebp refuses it.
     */
    static PrefixCode fromLengths(int[] lengths, int alphabetSize) {
        int[] counts = new int[MAX_LENGTH + 1];
        int used = 0;
        int last = -1;
        for (int s = 0; s < alphabetSize; s++) {
            int len = lengths[s];
            if (len < 0 || len > MAX_LENGTH) {
                throw new ImageDecodeException("invalid prefix code length " + len);
            }
            if (len > 0) {
                counts[len]++;
                used++;
                last = s;
            }
        }
        if (used == 0) {
            throw new ImageDecodeException("prefix code without symbols");
        }
        if (used == 1) {
            return new PrefixCode(last, null, 0, null, null);
        }
        // Kraft: a complete code leaves no pattern unused, an over-subscribed one has two words for a pattern.
        int left = 1;
        for (int len = 1; len <= MAX_LENGTH; len++) {
            left = (left << 1) - counts[len];
            if (left < 0) {
                throw new ImageDecodeException("over-subscribed prefix code");
            }
        }
        if (left != 0) {
            throw new ImageDecodeException("incomplete prefix code");
        }
        int[] offsets = new int[MAX_LENGTH + 2];
        for (int len = 1; len <= MAX_LENGTH; len++) {
            offsets[len + 1] = offsets[len] + counts[len];
        }
        int[] sorted = new int[used];
        int[] next = offsets.clone();
        for (int s = 0; s < alphabetSize; s++) {
            if (lengths[s] > 0) {
                sorted[next[lengths[s]]++] = s;
            }
        }
        int longest = MAX_LENGTH;
        while (counts[longest] == 0) {
            longest--;
        }
        int tableBits = Math.min(TABLE_BITS, longest);
        int[] table = new int[1 << tableBits];
        Arrays.fill(table, -1);
        int code = 0;
        int i = 0;
        for (int len = 1; len <= MAX_LENGTH; len++) {
            for (int k = 0; k < counts[len]; k++, i++, code++) {
                if (len <= tableBits) {
                    int reversed = Integer.reverse(code) >>> (32 - len);
                    for (int t = reversed; t < table.length; t += 1 << len) {
                        table[t] = (len << 16) | sorted[i];
                    }
                }
            }
            code <<= 1;
        }
        return new PrefixCode(-1, table, tableBits, counts, sorted);
    }

    /** A code with one symbol, as the "simple" code form with one symbol declares it. */
    static PrefixCode singleSymbol(int symbol) {
        return new PrefixCode(symbol, null, 0, null, null);
    }

    int read(Vp8lBitReader in) {
        if (table == null) {
            return single;
        }
        int entry = table[in.peekBits(tableBits)];
        if (entry >= 0) {
            int len = entry >>> 16;
            if (in.available(len) < len) {
                throw new ImageDecodeException("truncated lossless WebP stream");
            }
            in.skipBits(len);
            return entry & 0xFFFF;
        }
        // Canonical walk: at each length the words of that length are the `count` values after `first`.
        int code = 0;
        int first = 0;
        int index = 0;
        for (int len = 1; len <= MAX_LENGTH; len++) {
            code |= in.readBit();
            int count = counts[len];
            if (code - first < count) {
                return sorted[index + code - first];
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        throw new ImageDecodeException("invalid prefix code word");
    }
}
