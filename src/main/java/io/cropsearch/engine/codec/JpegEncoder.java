package io.cropsearch.engine.codec;

import java.io.ByteArrayOutputStream;

/**
 * Baseline JPEG encoder (JFIF, standard Huffman tables of ITU T.81 Annex K, IJG quality scaling), for thumbnails.
 * Colour images are written as YCbCr with 4:2:0 or 4:4:4 chroma, or as one greyscale component.
 * Pure Java, like the decoder.
 */
public final class JpegEncoder {

    /** How chroma is stored. */
    public enum Chroma {
        /** Full-resolution chroma. */
        YCBCR_444,
        /** Chroma halved in both directions (the usual choice for photos). */
        YCBCR_420,
        /** No chroma: one luma component. */
        GREY
    }

    private static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
        28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
        54, 47, 55, 62, 63};

    private static final int[] DC_LUMA_COUNTS = {0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
    private static final int[] DC_CHROMA_COUNTS = {0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
    private static final int[] DC_VALUES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final int[] AC_LUMA_COUNTS = {0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d};
    private static final int[] AC_CHROMA_COUNTS = {0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77};
    private static final int[] AC_LUMA_VALUES = {
        1, 2, 3, 0, 4, 17, 5, 18, 33, 49, 65, 6, 19, 81, 97, 7,
        34, 113, 20, 50, 129, 145, 161, 8, 35, 66, 177, 193, 21, 82, 209, 240,
        36, 51, 98, 114, 130, 9, 10, 22, 23, 24, 25, 26, 37, 38, 39, 40,
        41, 42, 52, 53, 54, 55, 56, 57, 58, 67, 68, 69, 70, 71, 72, 73,
        74, 83, 84, 85, 86, 87, 88, 89, 90, 99, 100, 101, 102, 103, 104, 105,
        106, 115, 116, 117, 118, 119, 120, 121, 122, 131, 132, 133, 134, 135, 136, 137,
        138, 146, 147, 148, 149, 150, 151, 152, 153, 154, 162, 163, 164, 165, 166, 167,
        168, 169, 170, 178, 179, 180, 181, 182, 183, 184, 185, 186, 194, 195, 196, 197,
        198, 199, 200, 201, 202, 210, 211, 212, 213, 214, 215, 216, 217, 218, 225, 226,
        227, 228, 229, 230, 231, 232, 233, 234, 241, 242, 243, 244, 245, 246, 247, 248,
        249, 250,
    };
    private static final int[] AC_CHROMA_VALUES = {
        0, 1, 2, 3, 17, 4, 5, 33, 49, 6, 18, 65, 81, 7, 97, 113,
        19, 34, 50, 129, 8, 20, 66, 145, 161, 177, 193, 9, 35, 51, 82, 240,
        21, 98, 114, 209, 10, 22, 36, 52, 225, 37, 241, 23, 24, 25, 26, 38,
        39, 40, 41, 42, 53, 54, 55, 56, 57, 58, 67, 68, 69, 70, 71, 72,
        73, 74, 83, 84, 85, 86, 87, 88, 89, 90, 99, 100, 101, 102, 103, 104,
        105, 106, 115, 116, 117, 118, 119, 120, 121, 122, 130, 131, 132, 133, 134, 135,
        136, 137, 138, 146, 147, 148, 149, 150, 151, 152, 153, 154, 162, 163, 164, 165,
        166, 167, 168, 169, 170, 178, 179, 180, 181, 182, 183, 184, 185, 186, 194, 195,
        196, 197, 198, 199, 200, 201, 202, 210, 211, 212, 213, 214, 215, 216, 217, 218,
        226, 227, 228, 229, 230, 231, 232, 233, 234, 242, 243, 244, 245, 246, 247, 248,
        249, 250,
    };
    // Annex K.1 base tables, natural (row-major) order
    private static final int[] LUMA_QUANT = {
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    };
    private static final int[] CHROMA_QUANT = {
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
        24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    };

    // forward DCT basis: COS[u][x] = C(u) / 2 * cos((2x + 1) u pi / 16)
    private static final double[][] COS = new double[8][8];

    static {
        for (int u = 0; u < 8; u++) {
            for (int x = 0; x < 8; x++) {
                COS[u][x] = (u == 0 ? Math.sqrt(0.5) : 1.0) / 2 * Math.cos((2 * x + 1) * u * Math.PI / 16);
            }
        }
    }

    private record Huffman(int[] code, int[] length) {
        static Huffman of(int[] counts, int[] values) {
            int[] code = new int[256];
            int[] length = new int[256];
            int c = 0;
            int k = 0;
            for (int len = 1; len <= 16; len++) {
                for (int i = 0; i < counts[len - 1]; i++) {
                    code[values[k]] = c++;
                    length[values[k]] = len;
                    k++;
                }
                c <<= 1;
            }
            return new Huffman(code, length);
        }
    }

    private static final Huffman DC_LUMA = Huffman.of(DC_LUMA_COUNTS, DC_VALUES);
    private static final Huffman DC_CHROMA = Huffman.of(DC_CHROMA_COUNTS, DC_VALUES);
    private static final Huffman AC_LUMA = Huffman.of(AC_LUMA_COUNTS, AC_LUMA_VALUES);
    private static final Huffman AC_CHROMA = Huffman.of(AC_CHROMA_COUNTS, AC_CHROMA_VALUES);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int bitBuf;
    private int bitCount;

    private JpegEncoder() {
    }

    /**
     * @param quality 1..100, the IJG scale (75 is a common default; 85-90 for thumbnails that stay faithful)
     */
    public static byte[] encode(Rgb image, int quality, Chroma chroma) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("quality must be 1..100, not " + quality);
        }
        if (image.width() > 65535 || image.height() > 65535) {
            throw new IllegalArgumentException("JPEG dimensions are limited to 65535");
        }
        return new JpegEncoder().run(image, quality, chroma);
    }

    private byte[] run(Rgb img, int quality, Chroma chroma) {
        int[] qy = scaled(LUMA_QUANT, quality);
        int[] qc = scaled(CHROMA_QUANT, quality);
        int w = img.width();
        int h = img.height();
        boolean grey = chroma == Chroma.GREY;
        int sub = chroma == Chroma.YCBCR_420 ? 2 : 1;

        // planes: Y at full size; Cb, Cr averaged over sub x sub (edges replicated)
        float[] y = new float[w * h];
        float[] cb = grey ? null : new float[w * h];
        float[] cr = grey ? null : new float[w * h];
        for (int i = 0; i < w * h; i++) {
            int r = img.pixels()[3 * i] & 0xFF;
            int g = img.pixels()[3 * i + 1] & 0xFF;
            int b = img.pixels()[3 * i + 2] & 0xFF;
            y[i] = 0.299f * r + 0.587f * g + 0.114f * b;
            if (!grey) {
                cb[i] = -0.168736f * r - 0.331264f * g + 0.5f * b + 128f;
                cr[i] = 0.5f * r - 0.418688f * g - 0.081312f * b + 128f;
            }
        }

        writeMarker(0xD8);
        writeApp0();
        writeDqt(0, qy);
        if (!grey) {
            writeDqt(1, qc);
        }
        writeSof(w, h, grey, sub);
        writeDht(0x00, DC_LUMA_COUNTS, DC_VALUES);
        writeDht(0x10, AC_LUMA_COUNTS, AC_LUMA_VALUES);
        if (!grey) {
            writeDht(0x01, DC_CHROMA_COUNTS, DC_VALUES);
            writeDht(0x11, AC_CHROMA_COUNTS, AC_CHROMA_VALUES);
        }
        writeSos(grey);

        int mcu = 8 * sub;
        int[] pred = new int[3];
        float[] block = new float[64];
        for (int my = 0; my < h; my += mcu) {
            for (int mx = 0; mx < w; mx += mcu) {
                for (int by = 0; by < sub; by++) {
                    for (int bx = 0; bx < sub; bx++) {
                        fill(y, w, h, mx + 8 * bx, my + 8 * by, 1, block);
                        pred[0] = encodeBlock(block, qy, pred[0], DC_LUMA, AC_LUMA);
                    }
                }
                if (!grey) {
                    fill(cb, w, h, mx, my, sub, block);
                    pred[1] = encodeBlock(block, qc, pred[1], DC_CHROMA, AC_CHROMA);
                    fill(cr, w, h, mx, my, sub, block);
                    pred[2] = encodeBlock(block, qc, pred[2], DC_CHROMA, AC_CHROMA);
                }
            }
        }
        flushBits();
        writeMarker(0xD9);
        return out.toByteArray();
    }

    private static int[] scaled(int[] base, int quality) {
        int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
        int[] q = new int[64];
        for (int i = 0; i < 64; i++) {
            q[i] = Math.max(1, Math.min(255, (base[i] * scale + 50) / 100));
        }
        return q;
    }

    /** An 8x8 block of samples at (x0, y0), each the mean of a sub x sub cell; positions past the edge repeat it. */
    private static void fill(float[] plane, int w, int h, int x0, int y0, int sub, float[] block) {
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                float sum = 0;
                for (int dy = 0; dy < sub; dy++) {
                    for (int dx = 0; dx < sub; dx++) {
                        int sx = Math.min(w - 1, x0 + x * sub + dx);
                        int sy = Math.min(h - 1, y0 + y * sub + dy);
                        sum += plane[sy * w + sx];
                    }
                }
                block[y * 8 + x] = sum / (sub * sub) - 128f;
            }
        }
    }

    private int encodeBlock(float[] block, int[] q, int pred, Huffman dc, Huffman ac) {
        double[] tmp = new double[64];
        for (int y = 0; y < 8; y++) {
            for (int u = 0; u < 8; u++) {
                double s = 0;
                for (int x = 0; x < 8; x++) {
                    s += COS[u][x] * block[y * 8 + x];
                }
                tmp[y * 8 + u] = s;
            }
        }
        int[] coef = new int[64];
        for (int u = 0; u < 8; u++) {
            for (int v = 0; v < 8; v++) {
                double s = 0;
                for (int y = 0; y < 8; y++) {
                    s += COS[v][y] * tmp[y * 8 + u];
                }
                coef[v * 8 + u] = (int) Math.round(s / q[v * 8 + u]);
            }
        }
        int diff = coef[0] - pred;
        int cat = category(diff);
        writeBits(dc.code()[cat], dc.length()[cat]);
        writeBits(bitsOf(diff, cat), cat);
        int run = 0;
        for (int k = 1; k < 64; k++) {
            int v = coef[ZIGZAG[k]];
            if (v == 0) {
                run++;
                continue;
            }
            while (run > 15) {
                writeBits(ac.code()[0xF0], ac.length()[0xF0]);
                run -= 16;
            }
            int c = category(v);
            int sym = (run << 4) | c;
            writeBits(ac.code()[sym], ac.length()[sym]);
            writeBits(bitsOf(v, c), c);
            run = 0;
        }
        if (run > 0) {
            writeBits(ac.code()[0x00], ac.length()[0x00]);
        }
        return coef[0];
    }

    private static int category(int v) {
        int a = Math.abs(v);
        return a == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(a);
    }

    private static int bitsOf(int v, int cat) {
        return v >= 0 ? v : v + (1 << cat) - 1;
    }

    private void writeBits(int bits, int n) {
        for (int i = n - 1; i >= 0; i--) {
            bitBuf = (bitBuf << 1) | ((bits >>> i) & 1);
            if (++bitCount == 8) {
                out.write(bitBuf);
                if (bitBuf == 0xFF) {
                    out.write(0); // byte stuffing
                }
                bitBuf = 0;
                bitCount = 0;
            }
        }
    }

    private void flushBits() {
        while (bitCount != 0) {
            writeBits(1, 1); // pad with ones
        }
    }

    private void writeMarker(int m) {
        out.write(0xFF);
        out.write(m);
    }

    private void write16(int v) {
        out.write(v >>> 8);
        out.write(v & 0xFF);
    }

    private void writeApp0() {
        writeMarker(0xE0);
        write16(16);
        out.writeBytes(new byte[] {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0});
    }

    private void writeDqt(int id, int[] q) {
        writeMarker(0xDB);
        write16(67);
        out.write(id);
        for (int k = 0; k < 64; k++) {
            out.write(q[ZIGZAG[k]]);
        }
    }

    private void writeSof(int w, int h, boolean grey, int sub) {
        writeMarker(0xC0);
        write16(grey ? 11 : 17);
        out.write(8);
        write16(h);
        write16(w);
        out.write(grey ? 1 : 3);
        out.write(1);
        out.write((sub << 4) | sub);
        out.write(0);
        if (!grey) {
            out.writeBytes(new byte[] {2, 0x11, 1, 3, 0x11, 1});
        }
    }

    private void writeDht(int classAndId, int[] counts, int[] values) {
        writeMarker(0xC4);
        write16(2 + 1 + 16 + values.length);
        out.write(classAndId);
        for (int c : counts) {
            out.write(c);
        }
        for (int v : values) {
            out.write(v);
        }
    }

    private void writeSos(boolean grey) {
        writeMarker(0xDA);
        write16(grey ? 8 : 12);
        out.write(grey ? 1 : 3);
        out.writeBytes(new byte[] {1, 0x00});
        if (!grey) {
            out.writeBytes(new byte[] {2, 0x11, 3, 0x11});
        }
        out.writeBytes(new byte[] {0, 63, 0});
    }
}
