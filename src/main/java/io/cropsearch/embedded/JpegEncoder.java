package io.cropsearch.embedded;

import io.cropsearch.engine.Rgb;

import java.io.ByteArrayOutputStream;

/**
 * A small baseline JPEG encoder (YCbCr 4:4:4, the standard tables of ITU T.81 Annex K) for thumbnails. Pure Java, so
 * thumbnails work in a native image without java.desktop.
 */
final class JpegEncoder {
    private static final int[] ZIGZAG = {
            0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14,
            21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53,
            60, 61, 54, 47, 55, 62, 63};
    private static final int[] LUMA_Q = {
            16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22,
            29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103,
            121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
    private static final int[] CHROMA_Q = {
            17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99,
            99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
            99, 99, 99, 99, 99, 99, 99, 99, 99, 99};
    private static final int[] DC_LUMA_BITS = {0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
    private static final int[] DC_CHROMA_BITS = {0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
    private static final int[] DC_VALUES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final int[] AC_LUMA_BITS = {0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d};
    private static final int[] AC_LUMA_VALUES = {
            0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71,
            0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72,
            0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37,
            0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
            0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83,
            0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3,
            0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
            0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
            0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa};
    private static final int[] AC_CHROMA_BITS = {0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77};
    private static final int[] AC_CHROMA_VALUES = {
            0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22,
            0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1,
            0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36,
            0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
            0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a,
            0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a,
            0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba,
            0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
            0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa};

    private static final int[][] DC_LUMA = codes(DC_LUMA_BITS, DC_VALUES);
    private static final int[][] DC_CHROMA = codes(DC_CHROMA_BITS, DC_VALUES);
    private static final int[][] AC_LUMA = codes(AC_LUMA_BITS, AC_LUMA_VALUES);
    private static final int[][] AC_CHROMA = codes(AC_CHROMA_BITS, AC_CHROMA_VALUES);

    private JpegEncoder() {
    }

    /** @param quality 1..100 as in libjpeg */
    static byte[] encode(Rgb image, int quality) {
        int[] lumaQ = scaled(LUMA_Q, quality);
        int[] chromaQ = scaled(CHROMA_Q, quality);
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        marker(out, 0xD8);
        // APP0 JFIF
        segment(out, 0xE0, new int[] {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0});
        int[] dqt = new int[130];
        dqt[0] = 0;
        dqt[65] = 1;
        for (int i = 0; i < 64; i++) {
            dqt[1 + i] = lumaQ[ZIGZAG[i]];
            dqt[66 + i] = chromaQ[ZIGZAG[i]];
        }
        segment(out, 0xDB, dqt);
        int w = image.width();
        int h = image.height();
        segment(out, 0xC0, new int[] {8, h >> 8, h & 0xFF, w >> 8, w & 0xFF, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1});
        huffmanSegment(out, 0x00, DC_LUMA_BITS, DC_VALUES);
        huffmanSegment(out, 0x10, AC_LUMA_BITS, AC_LUMA_VALUES);
        huffmanSegment(out, 0x01, DC_CHROMA_BITS, DC_VALUES);
        huffmanSegment(out, 0x11, AC_CHROMA_BITS, AC_CHROMA_VALUES);
        segment(out, 0xDA, new int[] {3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0});

        BitWriter bits = new BitWriter(out);
        int[] previousDc = new int[3];
        float[][] block = new float[3][64];
        for (int by = 0; by < h; by += 8) {
            for (int bx = 0; bx < w; bx += 8) {
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        int px = Math.min(bx + x, w - 1);
                        int py = Math.min(by + y, h - 1);
                        int r = image.get(px, py, 0);
                        int g = image.get(px, py, 1);
                        int b = image.get(px, py, 2);
                        block[0][y * 8 + x] = 0.299f * r + 0.587f * g + 0.114f * b - 128;
                        block[1][y * 8 + x] = -0.168736f * r - 0.331264f * g + 0.5f * b;
                        block[2][y * 8 + x] = 0.5f * r - 0.418688f * g - 0.081312f * b;
                    }
                }
                for (int c = 0; c < 3; c++) {
                    int[] q = c == 0 ? lumaQ : chromaQ;
                    int[] coefficients = quantise(fdct(block[c]), q);
                    previousDc[c] = writeBlock(bits, coefficients, previousDc[c],
                            c == 0 ? DC_LUMA : DC_CHROMA, c == 0 ? AC_LUMA : AC_CHROMA);
                }
            }
        }
        bits.flush();
        marker(out, 0xD9);
        return out.toByteArray();
    }

    private static float[] fdct(float[] in) {
        float[] out = new float[64];
        for (int v = 0; v < 8; v++) {
            for (int u = 0; u < 8; u++) {
                double sum = 0;
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        sum += in[y * 8 + x] * COS[x][u] * COS[y][v];
                    }
                }
                double cu = u == 0 ? Math.sqrt(0.5) : 1;
                double cv = v == 0 ? Math.sqrt(0.5) : 1;
                out[v * 8 + u] = (float) (0.25 * cu * cv * sum);
            }
        }
        return out;
    }

    private static final double[][] COS = new double[8][8];

    static {
        for (int x = 0; x < 8; x++) {
            for (int u = 0; u < 8; u++) {
                COS[x][u] = Math.cos((2 * x + 1) * u * Math.PI / 16);
            }
        }
    }

    private static int[] quantise(float[] dct, int[] q) {
        int[] zz = new int[64];
        for (int i = 0; i < 64; i++) {
            zz[i] = Math.round(dct[ZIGZAG[i]] / q[ZIGZAG[i]]);
        }
        return zz;
    }

    private static int writeBlock(BitWriter bits, int[] zz, int previousDc, int[][] dc, int[][] ac) {
        int diff = zz[0] - previousDc;
        int size = magnitude(diff);
        bits.write(dc[0][size], dc[1][size]);
        bits.writeValue(diff, size);
        int run = 0;
        for (int i = 1; i < 64; i++) {
            if (zz[i] == 0) {
                run++;
                continue;
            }
            while (run > 15) {
                bits.write(ac[0][0xF0], ac[1][0xF0]);
                run -= 16;
            }
            int s = magnitude(zz[i]);
            int symbol = (run << 4) | s;
            bits.write(ac[0][symbol], ac[1][symbol]);
            bits.writeValue(zz[i], s);
            run = 0;
        }
        if (run > 0) {
            bits.write(ac[0][0], ac[1][0]);
        }
        return zz[0];
    }

    private static int magnitude(int value) {
        int v = Math.abs(value);
        int size = 0;
        while (v > 0) {
            size++;
            v >>= 1;
        }
        return size;
    }

    /** {codes[symbol], lengths[symbol]} from a DHT's counts and symbols. */
    private static int[][] codes(int[] counts, int[] symbols) {
        int[] code = new int[256];
        int[] length = new int[256];
        int next = 0;
        int k = 0;
        for (int len = 1; len <= 16; len++) {
            for (int i = 0; i < counts[len - 1]; i++) {
                code[symbols[k]] = next++;
                length[symbols[k]] = len;
                k++;
            }
            next <<= 1;
        }
        return new int[][] {code, length};
    }

    private static int[] scaled(int[] table, int quality) {
        int q = Math.max(1, Math.min(100, quality));
        int scale = q < 50 ? 5000 / q : 200 - 2 * q;
        int[] out = new int[64];
        for (int i = 0; i < 64; i++) {
            out[i] = Math.max(1, Math.min(255, (table[i] * scale + 50) / 100));
        }
        return out;
    }

    private static void huffmanSegment(ByteArrayOutputStream out, int tableClassAndId, int[] counts, int[] values) {
        int[] data = new int[1 + 16 + values.length];
        data[0] = tableClassAndId;
        System.arraycopy(counts, 0, data, 1, 16);
        System.arraycopy(values, 0, data, 17, values.length);
        segment(out, 0xC4, data);
    }

    private static void marker(ByteArrayOutputStream out, int marker) {
        out.write(0xFF);
        out.write(marker);
    }

    private static void segment(ByteArrayOutputStream out, int marker, int[] data) {
        marker(out, marker);
        int length = data.length + 2;
        out.write(length >> 8);
        out.write(length & 0xFF);
        for (int b : data) {
            out.write(b);
        }
    }

    private static final class BitWriter {
        private final ByteArrayOutputStream out;
        private int buffer;
        private int count;

        BitWriter(ByteArrayOutputStream out) {
            this.out = out;
        }

        void write(int code, int length) {
            for (int i = length - 1; i >= 0; i--) {
                buffer = (buffer << 1) | ((code >> i) & 1);
                if (++count == 8) {
                    emit();
                }
            }
        }

        /** The JPEG "additional bits" of a coefficient: negative values as one's complement. */
        void writeValue(int value, int size) {
            if (size == 0) {
                return;
            }
            write(value < 0 ? value + (1 << size) - 1 : value, size);
        }

        private void emit() {
            out.write(buffer);
            if (buffer == 0xFF) {
                out.write(0); // byte stuffing
            }
            buffer = 0;
            count = 0;
        }

        void flush() {
            while (count != 0) {
                write(1, 1); // pad with ones
            }
        }
    }
}
