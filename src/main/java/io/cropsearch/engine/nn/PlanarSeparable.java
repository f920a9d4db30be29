package io.cropsearch.engine.nn;

import java.util.Arrays;

/**
 * A depthwise separable 3x3 'same' convolution plus bias ({@code tf.separableConv2d} then {@code tf.add}, as
 * face-api.js's {@code depthwiseSeparableConv}) on planar activations with a border of one zero
 * ({@link Planar.Geo} with pad 1), for the large, narrow layers of the landmark nets (32 to 128 channels, 56x56 to
 * 14x14).
 *
 * <p>Why planar: a pointwise filter row of 32 or 64 channels is too short for C2's vector loops (JDK 17 unrolls them
 * past that length and runs the rest scalar), so these layers vectorise over output positions, like
 * {@link Planar}'s: for a block of output rows, the depthwise results of every input channel are written to one row
 * each (over extended positions {@code q = y * pw + x}, {@code pw} the bordered width: for stride 1 the nine inputs
 * of a tap are one contiguous run of the bordered plane), then the pointwise 1x1 folds those rows into one
 * accumulator row per output channel, six input channels per pass ({@link Conv#fma6}). The two spare columns per row
 * fall on the output's border and are cleared afterwards.
 *
 * <p>Arithmetic is tfjs-core 1.7's cpu backend's: the depthwise adds its nine taps to zero in (ky, kx) order, the
 * pointwise its input channels in order, each step one fused multiply-add (the reference computes {@code y += x * w}
 * in double and stores float32: the same except in rare double-rounding ties), then the bias is added in float32.
 * Taps on the zero border add {@code 0 * w}, which changes nothing but the sign of an exact zero, where tfjs skips
 * them.
 */
public final class PlanarSeparable {

    private static final int BLOCK = Planar.BLOCK;

    private final int cin;
    private final int cout;
    private final float[][] depthwise; // depthwise[ci][ky * 3 + kx]
    private final float[][] rows;      // rows[ci][co]: the pointwise filter, one row per input channel
    private final float[] bias;

    /** From a [3, 3, cin, 1] depthwise filter, a [1, 1, cin, cout] pointwise filter and cout biases (file order). */
    public PlanarSeparable(int cin, int cout, float[] depthwiseHwio, float[] pointwise, float[] bias) {
        if (depthwiseHwio.length != 9 * cin || pointwise.length != cin * cout || bias.length != cout) {
            throw new IllegalArgumentException("separable conv weights do not fit " + cin + " -> " + cout);
        }
        this.cin = cin;
        this.cout = cout;
        this.depthwise = new float[cin][9];
        for (int t = 0; t < 9; t++) {
            for (int ci = 0; ci < cin; ci++) {
                depthwise[ci][t] = depthwiseHwio[t * cin + ci];
            }
        }
        this.rows = Hwc.rows(pointwise, cin, cout);
        this.bias = bias.clone();
    }

    public int cin() {
        return cin;
    }

    public int cout() {
        return cout;
    }

    /** Per-call scratch, sized for at most {@code maxChannels} input or output channels. */
    public static final class Scratch {
        final float[][] col;
        final float[][] acc;
        final float[] t0 = new float[BLOCK + 64];
        final float[] t1 = new float[BLOCK + 64];
        final float[] t2 = new float[BLOCK + 64];

        public Scratch(int maxChannels) {
            col = new float[maxChannels][BLOCK + 64];
            acc = new float[maxChannels][BLOCK + 64];
        }
    }

    /**
     * {@code out} (geometry {@code go}, pad 1) from {@code in} (geometry {@code gi}, pad 1) with stride 1 or 2; the
     * output size must be tfjs's 'same' size {@code ceil(in / stride)}. Border cells of {@code in} must be zero; those
     * of {@code out} are left zero.
     */
    public void apply(float[][] in, Planar.Geo gi, int stride, float[][] out, Planar.Geo go, Scratch s) {
        Hwc.Window g = Hwc.Window.same(gi.h(), gi.w(), 3, stride);
        if (gi.pad() != 1 || go.pad() != 1 || g.outH() != go.h() || g.outW() != go.w() || g.padTop() > 1
                || g.padLeft() > 1 || s.col.length < Math.max(cin, cout)) {
            throw new IllegalArgumentException("unsupported geometry " + gi + " -> " + go + " stride " + stride);
        }
        int pw = go.stride();
        // extended positions q = y * pw + x; the last row's two spare columns would read past the input's end
        int total = go.h() * pw - 2;
        int maxRows = Math.max(1, (BLOCK + 64) / pw);
        int blocks = (go.h() + maxRows - 1) / maxRows;
        int rowsPerBlock = (go.h() + blocks - 1) / blocks;
        for (int y0 = 0; y0 < go.h(); y0 += rowsPerBlock) {
            int q0 = y0 * pw;
            int np = Math.min((y0 + rowsPerBlock) * pw, total) - q0;
            if (stride == 1) {
                depthwiseStride1(in, gi, q0, np, s);
            } else {
                depthwiseStrided(in, gi, g, go, q0, np, s);
            }
            pointwise(np, s);
            int o0 = go.at(y0, 0);
            for (int co = 0; co < cout; co++) {
                float[] a = s.acc[co];
                float b = bias[co];
                for (int j = 0; j < np; j++) {
                    a[j] = a[j] + b;
                }
                System.arraycopy(a, 0, out[co], o0, np);
            }
        }
        zeroBorder(out, cout, go);
    }

    /**
     * Stride 1, same geometry in and out: tap (ky, kx) of extended position q reads bordered cell
     * {@code q + ky * pw + kx}, so each tap is one {@code arraycopy} into a bare-indexed row; three taps (one filter
     * row) per pass.
     */
    private void depthwiseStride1(float[][] in, Planar.Geo gi, int q0, int np, Scratch s) {
        int pw = gi.stride();
        for (int ci = 0; ci < cin; ci++) {
            float[] src = in[ci];
            float[] w = depthwise[ci];
            float[] d = s.col[ci];
            Arrays.fill(d, 0, np, 0f);
            for (int ky = 0; ky < 3; ky++) {
                int from = q0 + ky * pw;
                System.arraycopy(src, from, s.t0, 0, np);
                System.arraycopy(src, from + 1, s.t1, 0, np);
                System.arraycopy(src, from + 2, s.t2, 0, np);
                fma3(w[ky * 3], s.t0, w[ky * 3 + 1], s.t1, w[ky * 3 + 2], s.t2, d, np);
            }
        }
    }

    /** Stride 2 (a quarter of the positions, under 2% of the work): a direct gather per output position. */
    private void depthwiseStrided(float[][] in, Planar.Geo gi, Hwc.Window g, Planar.Geo go, int q0, int np,
                                  Scratch s) {
        int pwIn = gi.stride();
        int pwOut = go.stride();
        int stride = g.stride();
        for (int ci = 0; ci < cin; ci++) {
            float[] src = in[ci];
            float[] w = depthwise[ci];
            float[] d = s.col[ci];
            for (int j = 0; j < np; j++) {
                int q = q0 + j;
                int oy = q / pwOut;
                int ox = q % pwOut;
                if (ox >= go.w()) {
                    d[j] = 0f; // spare column, lands on the border
                    continue;
                }
                // bordered input cell of tap (0, 0): interior (oy * stride - padTop, ox * stride - padLeft) + 1
                int base = (oy * stride - g.padTop() + 1) * pwIn + ox * stride - g.padLeft() + 1;
                float acc = 0f;
                for (int ky = 0; ky < 3; ky++) {
                    int r = base + ky * pwIn;
                    acc = Math.fma(src[r], w[ky * 3], acc);
                    acc = Math.fma(src[r + 1], w[ky * 3 + 1], acc);
                    acc = Math.fma(src[r + 2], w[ky * 3 + 2], acc);
                }
                d[j] = acc;
            }
        }
    }

    /** acc[co] = sum over ci of rows[ci][co] * col[ci], channels in order, six per pass (see {@link Planar}). */
    private void pointwise(int np, Scratch s) {
        float[][] col = s.col;
        float[][] acc = s.acc;
        for (int co = 0; co < cout; co++) {
            Arrays.fill(acc[co], 0, np, 0f);
        }
        int ci = 0;
        for (; ci + 6 <= cin; ci += 6) {
            float[] w0 = rows[ci];
            float[] w1 = rows[ci + 1];
            float[] w2 = rows[ci + 2];
            float[] w3 = rows[ci + 3];
            float[] w4 = rows[ci + 4];
            float[] w5 = rows[ci + 5];
            for (int co = 0; co < cout; co++) {
                Conv.fma6(w0[co], col[ci], w1[co], col[ci + 1], w2[co], col[ci + 2], w3[co], col[ci + 3],
                        w4[co], col[ci + 4], w5[co], col[ci + 5], acc[co], np);
            }
        }
        // the 2 or 4 channels left over (32, 64, 128 = 6k + 2 or 4) in one pass, not one pass each
        if (cin - ci >= 4) {
            for (int co = 0; co < cout; co++) {
                fma4(rows[ci][co], col[ci], rows[ci + 1][co], col[ci + 1], rows[ci + 2][co], col[ci + 2],
                        rows[ci + 3][co], col[ci + 3], acc[co], np);
            }
            ci += 4;
        }
        if (cin - ci >= 2) {
            for (int co = 0; co < cout; co++) {
                fma2(rows[ci][co], col[ci], rows[ci + 1][co], col[ci + 1], acc[co], np);
            }
            ci += 2;
        }
        for (; ci < cin; ci++) {
            for (int co = 0; co < cout; co++) {
                Conv.fma1(rows[ci][co], col[ci], acc[co], np);
            }
        }
    }

    private static void fma2(float v0, float[] f0, float v1, float[] f1, float[] acc, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] = Math.fma(v1, f1[j], Math.fma(v0, f0[j], acc[j]));
        }
    }

    private static void fma4(float v0, float[] f0, float v1, float[] f1, float v2, float[] f2, float v3, float[] f3,
                             float[] acc, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] = Math.fma(v3, f3[j], Math.fma(v2, f2[j], Math.fma(v1, f1[j], Math.fma(v0, f0[j], acc[j]))));
        }
    }

    private static void fma3(float v0, float[] f0, float v1, float[] f1, float v2, float[] f2, float[] acc, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] = Math.fma(v2, f2[j], Math.fma(v1, f1[j], Math.fma(v0, f0[j], acc[j])));
        }
    }

    /** Clears the one-cell border of {@code c} planes (spare columns of the extended positions land there). */
    public static void zeroBorder(float[][] planes, int c, Planar.Geo g) {
        int pw = g.stride();
        int ph = g.h() + 2;
        for (int ch = 0; ch < c; ch++) {
            float[] p = planes[ch];
            Arrays.fill(p, 0, pw, 0f);
            Arrays.fill(p, (ph - 1) * pw, ph * pw, 0f);
            for (int y = 1; y < ph - 1; y++) {
                p[y * pw] = 0f;
                p[y * pw + pw - 1] = 0f;
            }
        }
    }
}
