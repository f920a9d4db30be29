package io.cropsearch.engine.codec;

/**
 * Intra prediction and inverse transforms of VP8 (RFC 6386, sections 12 and 14), into whole-frame Y, U and V planes
 * (macroblock-aligned; the loop filter runs over them afterwards, so prediction sees unfiltered pixels, as the
 * format requires).
 *
 * <p>Each macroblock is predicted in a small work area holding its top row, left column, top-left corner and, for
 * luma, 4 top-right pixels, filled the way libwebp fills it: above the frame 127, left of it 129, the top-left
 * corner 127 on the first row and 129 on the first column below it; the top-right of the last column repeats the
 * pixel above the macroblock's last column, and 4x4 blocks on the right of rows 1-3 use the macroblock's top-right
 * pixels (their true neighbours are not decoded yet).
 */
final class Vp8Reconstruction {

    private static final int BPS = 32;
    private static final int ORIGIN = BPS + 8;

    final int yStride;
    final int uvStride;
    final byte[] y;
    final byte[] u;
    final byte[] v;
    private final int mbWidth;

    private final int[] workY = new int[BPS * 17];
    private final int[] workU = new int[BPS * 9];
    private final int[] workV = new int[BPS * 9];

    Vp8Reconstruction(int mbWidth, int mbHeight) {
        this.mbWidth = mbWidth;
        yStride = mbWidth * 16;
        uvStride = mbWidth * 8;
        y = new byte[yStride * mbHeight * 16];
        u = new byte[uvStride * mbHeight * 8];
        v = new byte[uvStride * mbHeight * 8];
    }

    void macroblock(int mbx, int mby, boolean isI4, int yMode, int[] subModes, int uvMode, int[] coeffs) {
        loadBorders(workY, y, yStride, 16, mbx, mby);
        loadBorders(workU, u, uvStride, 8, mbx, mby);
        loadBorders(workV, v, uvStride, 8, mbx, mby);
        loadTopRight(mbx, mby);
        if (isI4) {
            for (int n = 0; n < 16; n++) {
                int dst = ORIGIN + (n & 3) * 4 + (n >> 2) * 4 * BPS;
                Vp8Predict.predict4(subModes[n], workY, dst, BPS);
                inverseDct(coeffs, n * 16, workY, dst);
            }
        } else {
            Vp8Predict.predictBlock(edgeMode(yMode, mbx, mby), workY, ORIGIN, BPS, 16);
            for (int n = 0; n < 16; n++) {
                inverseDct(coeffs, n * 16, workY, ORIGIN + (n & 3) * 4 + (n >> 2) * 4 * BPS);
            }
        }
        int chromaMode = edgeMode(uvMode, mbx, mby);
        Vp8Predict.predictBlock(chromaMode, workU, ORIGIN, BPS, 8);
        Vp8Predict.predictBlock(chromaMode, workV, ORIGIN, BPS, 8);
        for (int n = 0; n < 4; n++) {
            int dst = ORIGIN + (n & 1) * 4 + (n >> 1) * 4 * BPS;
            inverseDct(coeffs, 256 + n * 16, workU, dst);
            inverseDct(coeffs, 320 + n * 16, workV, dst);
        }
        store(workY, y, yStride, 16, mbx, mby);
        store(workU, u, uvStride, 8, mbx, mby);
        store(workV, v, uvStride, 8, mbx, mby);
    }

    /** DC prediction has variants for missing neighbours at the frame's top and left edges (the others do not). */
    private static int edgeMode(int mode, int mbx, int mby) {
        if (mode != Vp8Tables.B_DC) {
            return mode;
        }
        if (mbx == 0) {
            return mby == 0 ? Vp8Predict.DC_NO_TOP_LEFT : Vp8Predict.DC_NO_LEFT;
        }
        return mby == 0 ? Vp8Predict.DC_NO_TOP : Vp8Predict.DC;
    }

    private static void loadBorders(int[] work, byte[] plane, int stride, int size, int mbx, int mby) {
        int x0 = mbx * size;
        int y0 = mby * size;
        for (int j = 0; j < size; j++) {
            work[ORIGIN + j * BPS - 1] = mbx > 0 ? plane[(y0 + j) * stride + x0 - 1] & 0xFF : 129;
        }
        int top = ORIGIN - BPS;
        for (int i = 0; i < size; i++) {
            work[top + i] = mby > 0 ? plane[(y0 - 1) * stride + x0 + i] & 0xFF : 127;
        }
        if (mby == 0) {
            work[top - 1] = 127;
        } else {
            work[top - 1] = mbx > 0 ? plane[(y0 - 1) * stride + x0 - 1] & 0xFF : 129;
        }
    }

    private void loadTopRight(int mbx, int mby) {
        int top = ORIGIN - BPS;
        for (int i = 16; i < 20; i++) {
            int value;
            if (mby == 0) {
                value = 127;
            } else if (mbx < mbWidth - 1) {
                value = y[(mby * 16 - 1) * yStride + mbx * 16 + i] & 0xFF;
            } else {
                value = y[(mby * 16 - 1) * yStride + mbx * 16 + 15] & 0xFF;
            }
            replicateTopRight(top, i, value);
        }
    }

    private void replicateTopRight(int top, int i, int value) {
        for (int row = 0; row < 16; row += 4) {
            // rows -1, 3, 7, 11: the top-right of the right column of 4x4 blocks
            workY[top + row * BPS + i] = value;
        }
    }

    private static void store(int[] work, byte[] plane, int stride, int size, int mbx, int mby) {
        int x0 = mbx * size;
        int y0 = mby * size;
        for (int j = 0; j < size; j++) {
            int src = ORIGIN + j * BPS;
            int dst = (y0 + j) * stride + x0;
            for (int i = 0; i < size; i++) {
                plane[dst + i] = (byte) work[src + i];
            }
        }
    }

    /** Inverse Walsh-Hadamard transform of the Y2 block into the DC of each luma block (libwebp's rounding). */
    static void inverseWht(int[] in, int[] out) {
        int[] tmp = new int[16];
        for (int i = 0; i < 4; i++) {
            int a0 = in[i] + in[12 + i];
            int a1 = in[4 + i] + in[8 + i];
            int a2 = in[4 + i] - in[8 + i];
            int a3 = in[i] - in[12 + i];
            tmp[i] = a0 + a1;
            tmp[8 + i] = a0 - a1;
            tmp[4 + i] = a3 + a2;
            tmp[12 + i] = a3 - a2;
        }
        for (int i = 0; i < 4; i++) {
            int dc = tmp[i * 4] + 3;
            int a0 = dc + tmp[3 + i * 4];
            int a1 = tmp[1 + i * 4] + tmp[2 + i * 4];
            int a2 = tmp[1 + i * 4] - tmp[2 + i * 4];
            int a3 = dc - tmp[3 + i * 4];
            int o = i * 64;
            out[o] = (a0 + a1) >> 3;
            out[o + 16] = (a3 + a2) >> 3;
            out[o + 32] = (a0 - a1) >> 3;
            out[o + 48] = (a3 - a2) >> 3;
        }
    }

    private static int mul1(int a) {
        return ((a * 20091) >> 16) + a;
    }

    private static int mul2(int a) {
        return (a * 35468) >> 16;
    }

    /**
     * Inverse DCT of one 4x4 block added to the prediction at dst (RFC 6386, section 14.3: columns first, then
     * rows with the (x + 4) >> 3 rounding). All-zero blocks leave the prediction unchanged.
     */
    static void inverseDct(int[] in, int off, int[] dst, int d) {
        boolean zero = true;
        for (int i = 0; i < 16; i++) {
            if (in[off + i] != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return;
        }
        int[] tmp = new int[16];
        for (int i = 0; i < 4; i++) {
            int i0 = in[off + i];
            int i4 = in[off + 4 + i];
            int i8 = in[off + 8 + i];
            int i12 = in[off + 12 + i];
            int a = i0 + i8;
            int b = i0 - i8;
            int c = mul2(i4) - mul1(i12);
            int e = mul1(i4) + mul2(i12);
            tmp[i * 4] = a + e;
            tmp[i * 4 + 1] = b + c;
            tmp[i * 4 + 2] = b - c;
            tmp[i * 4 + 3] = a - e;
        }
        for (int i = 0; i < 4; i++) {
            int dc = tmp[i] + 4;
            int a = dc + tmp[8 + i];
            int b = dc - tmp[8 + i];
            int c = mul2(tmp[4 + i]) - mul1(tmp[12 + i]);
            int e = mul1(tmp[4 + i]) + mul2(tmp[12 + i]);
            int row = d + i * BPS;
            dst[row] = clip255(dst[row] + ((a + e) >> 3));
            dst[row + 1] = clip255(dst[row + 1] + ((b + c) >> 3));
            dst[row + 2] = clip255(dst[row + 2] + ((b - c) >> 3));
            dst[row + 3] = clip255(dst[row + 3] + ((a - e) >> 3));
        }
    }

    static int clip255(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
