package io.cropsearch.engine.nn;

import java.util.Arrays;

/** Convolution kernels on HWC float arrays (the wide stages of the face recognition net). */
public final class Conv {

    public static final int NONE = 0;
    public static final int RELU = 1;
    public static final int ADD_RELU = 2;

    private Conv() {
    }

    public static int outSize(int in, int k, int stride, boolean same) {
        return same ? (in + stride - 1) / stride : (in - k) / stride + 1;
    }

    /** Per-call scratch for {@link #conv}: the non-zero inputs of every input pixel and the accumulators. */
    public static final class Scratch {
        // per input pixel (at most 17 x 17 x 64 inputs): its non-zero values and their channels, packed from the
        // pixel's offset on, and how many there are
        final float[] values = new float[17 * 17 * 64];
        final int[] channels = new int[17 * 17 * 64];
        final int[] counts = new int[17 * 17];
        // one accumulator row per output pixel; the wide stages have at most 8 x 8 outputs
        final float[][] accs = new float[64][256];
        final float[] residual = new float[256];
    }

    /**
     * conv2d, + bias, * scale + shift, then the epilogue {@code mode}: nothing, ReLU, or add {@code residual} and ReLU.
     *
     * <p>Each input pixel's non-zero inputs are packed once per call (ReLU outputs are about half zeros, and adding
     * 0 * w changes nothing); then, per filter tap and output pixel, they are folded into the pixel's accumulators
     * six filter rows at a time. Packing per input pixel rather than per (tap, output pixel) does the scan once
     * instead of up to nine times. Every array in
     * the inner loop is indexed by the bare loop variable: JDK 17's C2 only vectorises such loops when no array
     * index carries an extra offset, hence one array per filter row and a separate accumulator array. The fused
     * multiply-adds run in the reference's order (ky, kx, ci), so the result does not depend on the grouping.
     */
    public static void conv(float[] in, int h, int w, ConvLayer layer, int stride, boolean same,
                     float[] out, int mode, float[] residual, Scratch s) {
        int k = layer.k();
        int cin = layer.cin();
        int cout = layer.cout();
        float[][] filterRows = layer.rows();
        int oh = outSize(h, k, stride, same);
        int ow = outSize(w, k, stride, same);
        int padTop = same ? Math.max((oh - 1) * stride + k - h, 0) / 2 : 0;
        int padLeft = same ? Math.max((ow - 1) * stride + k - w, 0) / 2 : 0;
        float[][] accs = s.accs;
        int[] nz = s.counts;
        float[] gv = s.values;
        int[] gi = s.channels;
        // branch-free: whether an input is zero is data-dependent (17-63% of them per layer), so a branch on it
        // mispredicts often; every input is written and n advances only past non-zeros
        for (int pix = 0; pix < h * w; pix++) {
            int b = pix * cin;
            int n = 0;
            for (int ci = 0; ci < cin; ci++) {
                float v = in[b + ci];
                gv[b + n] = v;
                gi[b + n] = ci;
                n += v != 0f ? 1 : 0;
            }
            nz[pix] = n;
        }
        for (int p = 0; p < oh * ow; p++) {
            Arrays.fill(accs[p], 0, cout, 0f);
        }
        // Taps outermost: one tap's filter slice (cin x cout, up to 256 KB) stays in L2 while every output pixel uses
        // it; pixel-outer order would stream a 256-channel layer's 2.4 MB of filters from L3 once per pixel.
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                int ri = (ky * k + kx) * cin;
                for (int oy = 0; oy < oh; oy++) {
                    int iy = oy * stride - padTop + ky;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int ox = 0; ox < ow; ox++) {
                        int ix = ox * stride - padLeft + kx;
                        if (ix < 0 || ix >= w) {
                            continue;
                        }
                        int pix = iy * w + ix;
                        int b = pix * cin;
                        int n = nz[pix];
                        float[] acc = accs[oy * ow + ox];
                        int i = b;
                        for (; i + 6 <= b + n; i += 6) {
                            fma6(gv[i], filterRows[ri + gi[i]], gv[i + 1], filterRows[ri + gi[i + 1]],
                                    gv[i + 2], filterRows[ri + gi[i + 2]], gv[i + 3], filterRows[ri + gi[i + 3]],
                                    gv[i + 4], filterRows[ri + gi[i + 4]], gv[i + 5], filterRows[ri + gi[i + 5]],
                                    acc, cout);
                        }
                        for (; i < b + n; i++) {
                            fma1(gv[i], filterRows[ri + gi[i]], acc, cout);
                        }
                    }
                }
            }
        }
        for (int p = 0; p < oh * ow; p++) {
            epilogue(layer, accs[p], out, p * cout, mode, residual, s.residual);
        }
    }

    // Six rows per pass: C2 (JDK 17) still vectorises six streams; at eight it falls back to scalar code.
    public static void fma6(float v0, float[] f0, float v1, float[] f1, float v2, float[] f2, float v3, float[] f3,
                             float v4, float[] f4, float v5, float[] f5, float[] acc, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] = Math.fma(v5, f5[j], Math.fma(v4, f4[j], Math.fma(v3, f3[j],
                    Math.fma(v2, f2[j], Math.fma(v1, f1[j], Math.fma(v0, f0[j], acc[j]))))));
        }
    }

    public static void fma1(float v, float[] f, float[] acc, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] = Math.fma(v, f[j], acc[j]);
        }
    }

    // In place over the accumulator row with the bare loop index (so C2 can vectorise it) and Math.max for ReLU (equal
    // to v > 0 ? v : 0 for every non-NaN v, -0 included), then one arraycopy; the residual is copied in first.
    private static void epilogue(ConvLayer layer, float[] acc, float[] out, int o, int mode,
                                 float[] residual, float[] tmp) {
        float[] bias = layer.bias();
        float[] scale = layer.scale();
        float[] shift = layer.shift();
        int cout = bias.length;
        // Same operation order as face-api.js: add bias, multiply by scale, add shift, (add residual), relu.
        if (mode == ADD_RELU) {
            System.arraycopy(residual, o, tmp, 0, cout);
            for (int c = 0; c < cout; c++) {
                acc[c] = Math.max((acc[c] + bias[c]) * scale[c] + shift[c] + tmp[c], 0f);
            }
        } else if (mode == RELU) {
            for (int c = 0; c < cout; c++) {
                acc[c] = Math.max((acc[c] + bias[c]) * scale[c] + shift[c], 0f);
            }
        } else {
            for (int c = 0; c < cout; c++) {
                acc[c] = (acc[c] + bias[c]) * scale[c] + shift[c];
            }
        }
        System.arraycopy(acc, 0, out, o, cout);
    }
}
