package io.cropsearch.engine.codec;

/** Zigzag order and the float inverse DCT (separable, 8x8) shared by every JPEG decoding path. */
final class JpegIdct {

    static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
        28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
        54, 47, 55, 62, 63};

    // IDCT basis: COS[x][u] = C(u) / 2 * cos((2x + 1) u pi / 16)
    private static final float[][] COS = new float[8][8];

    static {
        for (int x = 0; x < 8; x++) {
            for (int u = 0; u < 8; u++) {
                double c = u == 0 ? Math.sqrt(0.5) : 1.0;
                COS[x][u] = (float) (c / 2 * Math.cos((2 * x + 1) * u * Math.PI / 16));
            }
        }
    }

    private JpegIdct() {
    }

    /** Dequantise and inverse DCT (separable, float), output level-shifted but not yet clamped. */
    static void idct(int[] coef, int[] q, float[] tmp, float[] out) {
        for (int y = 0; y < 8; y++) {
            // rows in frequency space (v = y): 1-D IDCT over u
            int r = y * 8;
            boolean zero = true;
            for (int u = 1; u < 8; u++) {
                if (coef[r + u] != 0) {
                    zero = false;
                    break;
                }
            }
            if (zero) {
                float dc = coef[r] * q[r] * COS[0][0];
                for (int x = 0; x < 8; x++) {
                    tmp[r + x] = dc;
                }
                continue;
            }
            for (int x = 0; x < 8; x++) {
                float s = 0;
                for (int u = 0; u < 8; u++) {
                    s += COS[x][u] * (coef[r + u] * q[r + u]);
                }
                tmp[r + x] = s;
            }
        }
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 8; y++) {
                float s = 0;
                for (int v = 0; v < 8; v++) {
                    s += COS[y][v] * tmp[v * 8 + x];
                }
                out[y * 8 + x] = s + 128f;
            }
        }
    }

    static void store(JpegComponent c, int x0, int y0, float[] block) {
        int stride = c.blocksW * 8;
        for (int y = 0; y < 8; y++) {
            int o = (y0 + y) * stride + x0;
            for (int x = 0; x < 8; x++) {
                int v = Math.round(block[y * 8 + x]);
                c.samples[o + x] = (byte) (v < 0 ? 0 : Math.min(v, 255));
            }
        }
    }
}
