package io.cropsearch.engine.codec;

/** Canonical Huffman table with a 9-bit fast lookup and a slow path for longer codes. */
final class JpegHuffman {

    final int[] maxCode = new int[18];
    final int[] valPtr = new int[17];
    final int[] minCode = new int[17];
    final byte[] values;
    final short[] fast = new short[1 << 9]; // (length << 8) | value, 0 when longer than 9 bits

    JpegHuffman(int[] counts, byte[] values) {
        this.values = values;
        int code = 0;
        int k = 0;
        for (int len = 1; len <= 16; len++) {
            valPtr[len] = k;
            minCode[len] = code;
            code += counts[len];
            k += counts[len];
            maxCode[len] = counts[len] == 0 ? -1 : code - 1;
            code <<= 1;
        }
        maxCode[17] = Integer.MAX_VALUE;
        code = 0;
        k = 0;
        for (int len = 1; len <= 9; len++) {
            for (int i = 0; i < counts[len]; i++, k++, code++) {
                int shift = 9 - len;
                for (int f = code << shift; f < (code + 1) << shift; f++) {
                    fast[f] = (short) ((len << 8) | (values[k] & 0xFF));
                }
            }
            code <<= 1;
        }
    }
}
