package io.cropsearch.engine.codec;

import java.util.Arrays;

/**
 * VP8 intra predictors (RFC 6386, section 12) on a work area of ints with row stride {@code bps}; the pixels above,
 * to the left and above-left of the block at {@code dst} must be in place (see {@link Vp8Reconstruction}).
 */
final class Vp8Predict {

    /** DC prediction variants at the frame edges (numbered after the ten sub-block modes). */
    static final int DC = Vp8Tables.B_DC;
    static final int DC_NO_TOP = 10;
    static final int DC_NO_LEFT = 11;
    static final int DC_NO_TOP_LEFT = 12;

    private Vp8Predict() {
    }

    /** 16x16 luma or 8x8 chroma prediction: DC (and its edge variants), TM, VE (vertical) or HE (horizontal). */
    static void predictBlock(int mode, int[] w, int dst, int bps, int size) {
        int top = dst - bps;
        int shift = size == 16 ? 4 : 3;
        switch (mode) {
            case Vp8Tables.B_VE:
                for (int j = 0; j < size; j++) {
                    System.arraycopy(w, top, w, dst + j * bps, size);
                }
                return;
            case Vp8Tables.B_HE:
                for (int j = 0; j < size; j++) {
                    fill(w, dst + j * bps, size, w[dst + j * bps - 1]);
                }
                return;
            case Vp8Tables.B_TM:
                trueMotion(w, dst, bps, size);
                return;
            case DC: {
                int sum = 0;
                for (int i = 0; i < size; i++) {
                    sum += w[top + i] + w[dst + i * bps - 1];
                }
                fillBlock(w, dst, bps, size, (sum + size) >> (shift + 1));
                return;
            }
            case DC_NO_TOP: {
                int sum = 0;
                for (int i = 0; i < size; i++) {
                    sum += w[dst + i * bps - 1];
                }
                fillBlock(w, dst, bps, size, (sum + (size >> 1)) >> shift);
                return;
            }
            case DC_NO_LEFT: {
                int sum = 0;
                for (int i = 0; i < size; i++) {
                    sum += w[top + i];
                }
                fillBlock(w, dst, bps, size, (sum + (size >> 1)) >> shift);
                return;
            }
            case DC_NO_TOP_LEFT:
                fillBlock(w, dst, bps, size, 128);
                return;
            default:
                throw new ImageDecodeException("invalid VP8 prediction mode " + mode);
        }
    }

    private static void fill(int[] w, int from, int n, int value) {
        Arrays.fill(w, from, from + n, value);
    }

    private static void fillBlock(int[] w, int dst, int bps, int size, int value) {
        for (int j = 0; j < size; j++) {
            fill(w, dst + j * bps, size, value);
        }
    }

    /** TM: left + above - above-left, clamped. */
    private static void trueMotion(int[] w, int dst, int bps, int size) {
        int top = dst - bps;
        int topLeft = w[top - 1];
        for (int j = 0; j < size; j++) {
            int left = w[dst + j * bps - 1];
            for (int i = 0; i < size; i++) {
                w[dst + j * bps + i] = Vp8Reconstruction.clip255(left + w[top + i] - topLeft);
            }
        }
    }

    private static int avg3(int a, int b, int c) {
        return (a + 2 * b + c + 2) >> 2;
    }

    private static int avg2(int a, int b) {
        return (a + b + 1) >> 1;
    }

    /** One 4x4 sub-block (section 12.3); the above row extends 4 pixels to the right (A..H below). */
    static void predict4(int mode, int[] w, int dst, int bps) {
        int t = dst - bps;
        int x = w[t - 1];
        int a = w[t];
        int b = w[t + 1];
        int c = w[t + 2];
        int d = w[t + 3];
        int e = w[t + 4];
        int f = w[t + 5];
        int g = w[t + 6];
        int h = w[t + 7];
        int i = w[dst - 1];
        int j = w[dst + bps - 1];
        int k = w[dst + 2 * bps - 1];
        int l = w[dst + 3 * bps - 1];
        switch (mode) {
            case Vp8Tables.B_DC: {
                int dc = (a + b + c + d + i + j + k + l + 4) >> 3;
                for (int r = 0; r < 4; r++) {
                    fill(w, dst + r * bps, 4, dc);
                }
                return;
            }
            case Vp8Tables.B_TM:
                trueMotion(w, dst, bps, 4);
                return;
            case Vp8Tables.B_VE: {
                // smoothed above row
                int v0 = avg3(x, a, b);
                int v1 = avg3(a, b, c);
                int v2 = avg3(b, c, d);
                int v3 = avg3(c, d, e);
                for (int r = 0; r < 4; r++) {
                    set(w, dst, bps, r, v0, v1, v2, v3);
                }
                return;
            }
            case Vp8Tables.B_HE: {
                fill(w, dst, 4, avg3(x, i, j));
                fill(w, dst + bps, 4, avg3(i, j, k));
                fill(w, dst + 2 * bps, 4, avg3(j, k, l));
                fill(w, dst + 3 * bps, 4, avg3(k, l, l));
                return;
            }
            case Vp8Tables.B_RD: {
                int p0 = avg3(j, k, l);
                int p1 = avg3(i, j, k);
                int p2 = avg3(x, i, j);
                int p3 = avg3(a, x, i);
                int p4 = avg3(b, a, x);
                int p5 = avg3(c, b, a);
                int p6 = avg3(d, c, b);
                set(w, dst, bps, 0, p3, p4, p5, p6);
                set(w, dst, bps, 1, p2, p3, p4, p5);
                set(w, dst, bps, 2, p1, p2, p3, p4);
                set(w, dst, bps, 3, p0, p1, p2, p3);
                return;
            }
            case Vp8Tables.B_LD: {
                int p0 = avg3(a, b, c);
                int p1 = avg3(b, c, d);
                int p2 = avg3(c, d, e);
                int p3 = avg3(d, e, f);
                int p4 = avg3(e, f, g);
                int p5 = avg3(f, g, h);
                int p6 = avg3(g, h, h);
                set(w, dst, bps, 0, p0, p1, p2, p3);
                set(w, dst, bps, 1, p1, p2, p3, p4);
                set(w, dst, bps, 2, p2, p3, p4, p5);
                set(w, dst, bps, 3, p3, p4, p5, p6);
                return;
            }
            case Vp8Tables.B_VR: {
                set(w, dst, bps, 0, avg2(x, a), avg2(a, b), avg2(b, c), avg2(c, d));
                set(w, dst, bps, 1, avg3(i, x, a), avg3(x, a, b), avg3(a, b, c), avg3(b, c, d));
                set(w, dst, bps, 2, avg3(j, i, x), avg2(x, a), avg2(a, b), avg2(b, c));
                set(w, dst, bps, 3, avg3(k, j, i), avg3(i, x, a), avg3(x, a, b), avg3(a, b, c));
                return;
            }
            case Vp8Tables.B_VL: {
                set(w, dst, bps, 0, avg2(a, b), avg2(b, c), avg2(c, d), avg2(d, e));
                set(w, dst, bps, 1, avg3(a, b, c), avg3(b, c, d), avg3(c, d, e), avg3(d, e, f));
                set(w, dst, bps, 2, avg2(b, c), avg2(c, d), avg2(d, e), avg3(e, f, g));
                set(w, dst, bps, 3, avg3(b, c, d), avg3(c, d, e), avg3(d, e, f), avg3(f, g, h));
                return;
            }
            case Vp8Tables.B_HD: {
                set(w, dst, bps, 0, avg2(i, x), avg3(i, x, a), avg3(x, a, b), avg3(a, b, c));
                set(w, dst, bps, 1, avg2(j, i), avg3(j, i, x), avg2(i, x), avg3(i, x, a));
                set(w, dst, bps, 2, avg2(k, j), avg3(k, j, i), avg2(j, i), avg3(j, i, x));
                set(w, dst, bps, 3, avg2(l, k), avg3(l, k, j), avg2(k, j), avg3(k, j, i));
                return;
            }
            case Vp8Tables.B_HU: {
                set(w, dst, bps, 0, avg2(i, j), avg3(i, j, k), avg2(j, k), avg3(j, k, l));
                set(w, dst, bps, 1, avg2(j, k), avg3(j, k, l), avg2(k, l), avg3(k, l, l));
                set(w, dst, bps, 2, avg2(k, l), avg3(k, l, l), l, l);
                set(w, dst, bps, 3, l, l, l, l);
                return;
            }
            default:
                throw new ImageDecodeException("invalid VP8 sub-block mode " + mode);
        }
    }

    private static void set(int[] w, int dst, int bps, int row, int p0, int p1, int p2, int p3) {
        int o = dst + row * bps;
        w[o] = p0;
        w[o + 1] = p1;
        w[o + 2] = p2;
        w[o + 3] = p3;
    }
}
