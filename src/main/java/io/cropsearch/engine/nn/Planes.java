package io.cropsearch.engine.nn;

import java.util.Arrays;

/**
 * Stride-1 layer operations on planar float activations ({@code planes[c][y * w + x]}), vectorised along rows of
 * output pixels: for the tiny face detector's early layers, whose few channels leave {@link Hwc}'s channel-wise inner
 * loops too short to vectorise (its 3 -> 16 first convolution ran at under 1 GMAC/s there).
 *
 * <p>The results are those of {@link Hwc} and of tfjs-core 1.7's cpu backend: every output still adds its taps in
 * the order (filter row, filter column, input channel), one {@link Math#fma} per tap. A tap that falls on the zero
 * padding is added as {@code fma(0, w, acc) = acc} where tfjs skips it, which changes nothing but the sign of a zero.
 * Inner loops index every array with the bare loop variable and run over a length rounded up to {@link #LANES}, so
 * JDK 17's C2 vectorises them without a scalar tail; the spare lanes compute on zeros or stale values and are dropped.
 */
public final class Planes {

    /** Loop lengths are multiples of this (16 floats = one AVX-512 register, two AVX2 ones). */
    static final int LANES = 16;
    /** Below this many pixels a pointwise convolution loops along output channels instead of pixels. */
    static final int SMALL = 128;

    private Planes() {
    }

    static int padded(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    /** {@code c} planes of {@code n} values. */
    public static float[][] alloc(int c, int n) {
        return new float[c][n];
    }

    /**
     * Dense k x k convolution, VALID, stride 1 (tfjs {@code conv2d(x, f, 1, 'valid')}), plus bias. {@code rows} from
     * {@link Hwc#rows} of a [k, k, cin, cout] filter; {@code bias} may be null; then face-api.js's {@code leaky} if
     * asked. Output planes hold {@code (h - k + 1) * (w - k + 1)} values.
     */
    public static void convValid(float[][] in, int h, int w, int k, float[][] rows, int cout, float[] bias,
            boolean leaky, float[][] out) {
        int cin = in.length;
        int outH = h - k + 1;
        int outW = w - k + 1;
        int len = padded(outW);
        float[][] acc = new float[cout][len];
        float[][] cols = new float[3][len];
        int taps = k * k * cin;
        for (int oy = 0; oy < outH; oy++) {
            for (float[] a : acc) {
                Arrays.fill(a, 0f);
            }
            // taps in (ky, kx, ci) order, three per pass over each output channel's accumulator row
            for (int t0 = 0; t0 < taps; t0 += 3) {
                int group = Math.min(3, taps - t0);
                for (int g = 0; g < group; g++) {
                    int t = t0 + g;
                    int ci = t % cin;
                    int kx = (t / cin) % k;
                    int ky = t / cin / k;
                    // the input row seen by this tap from every output pixel of the row
                    System.arraycopy(in[ci], (oy + ky) * w + kx, cols[g], 0, outW);
                }
                for (int co = 0; co < cout; co++) {
                    if (group == 3) {
                        fma3(cols[0], rows[t0][co], cols[1], rows[t0 + 1][co], cols[2], rows[t0 + 2][co], acc[co], len);
                    } else {
                        for (int g = 0; g < group; g++) {
                            fma(cols[g], rows[t0 + g][co], acc[co], len);
                        }
                    }
                }
            }
            for (int co = 0; co < cout; co++) {
                finish(acc[co], bias == null ? 0f : bias[co], bias != null, len);
                if (leaky) {
                    Hwc.leaky(acc[co], len);
                }
                System.arraycopy(acc[co], 0, out[co], oy * outW, outW);
            }
        }
    }

    /**
     * 3x3 depthwise convolution, stride 1, one zero row/column around the input (tfjs {@code pad(x, 1)} then a VALID
     * {@code depthwiseConv2d}, or 'same'), no bias. {@code taps[ky * 3 + kx][c]} as {@link Hwc#depthwise}.
     */
    public static void depthwise3x3(float[][] in, int h, int w, float[][] taps, float[][] out) {
        int len = padded(w);
        float[] acc = new float[len];
        // the input row with a zero column either side, and its three shifts by kx
        float[] row = new float[len + 2];
        float[] c0 = new float[len];
        float[] c1 = new float[len];
        float[] c2 = new float[len];
        for (int c = 0; c < in.length; c++) {
            float[] src = in[c];
            for (int oy = 0; oy < h; oy++) {
                Arrays.fill(acc, 0f);
                for (int ky = 0; ky < 3; ky++) {
                    int iy = oy - 1 + ky;
                    if (iy < 0 || iy >= h) {
                        continue; // tfjs skips rows outside the input
                    }
                    System.arraycopy(src, iy * w, row, 1, w);
                    System.arraycopy(row, 0, c0, 0, len);
                    System.arraycopy(row, 1, c1, 0, len);
                    System.arraycopy(row, 2, c2, 0, len);
                    fma3(c0, taps[ky * 3][c], c1, taps[ky * 3 + 1][c], c2, taps[ky * 3 + 2][c], acc, len);
                }
                System.arraycopy(acc, 0, out[c], oy * w, w);
            }
        }
    }

    /**
     * 1x1 convolution over {@code pixels} pixels (tfjs {@code conv2d} with a [1, 1, cin, cout] filter) plus bias, then
     * face-api.js's {@code leaky} if asked. Pixels go in blocks whose inputs stay in L2 while every output channel
     * reads them.
     */
    public static void pointwise(float[][] in, int pixels, float[][] rows, int cout, float[] bias, boolean leaky,
            float[][] out) {
        int cin = in.length;
        if (pixels < SMALL) {
            pointwisePerPixel(in, pixels, rows, cout, bias, leaky, out);
            return;
        }
        int block = Math.max(LANES, Math.min(1024, 32768 / cin / LANES * LANES));
        float[][] x = new float[cin][block];
        float[] acc = new float[block];
        for (int p0 = 0; p0 < pixels; p0 += block) {
            int n = Math.min(block, pixels - p0);
            int len = padded(n);
            for (int ci = 0; ci < cin; ci++) {
                System.arraycopy(in[ci], p0, x[ci], 0, n);
            }
            for (int co = 0; co < cout; co++) {
                Arrays.fill(acc, 0, len, 0f);
                int ci = 0;
                for (; ci + 4 <= cin; ci += 4) {
                    fma4(x[ci], rows[ci][co], x[ci + 1], rows[ci + 1][co], x[ci + 2], rows[ci + 2][co], x[ci + 3],
                            rows[ci + 3][co], acc, len);
                }
                for (; ci < cin; ci++) {
                    fma(x[ci], rows[ci][co], acc, len);
                }
                finish(acc, bias == null ? 0f : bias[co], bias != null, len);
                if (leaky) {
                    Hwc.leaky(acc, len);
                }
                System.arraycopy(acc, 0, out[co], p0, n);
            }
        }
    }

    /**
     * Few pixels (the last layers at small input sizes): blocks of pixels would be too short to vectorise, so loop along
     * the output channels instead, as {@link Hwc#pointwise} does; same order of taps.
     */
    private static void pointwisePerPixel(float[][] in, int pixels, float[][] rows, int cout, float[] bias,
            boolean leaky, float[][] out) {
        int cin = in.length;
        int len = padded(cout);
        float[][] w = rows;
        if (len != cout) { // rows padded with zeros to the loop length (only the 25-channel output layer)
            w = new float[cin][len];
            for (int ci = 0; ci < cin; ci++) {
                System.arraycopy(rows[ci], 0, w[ci], 0, cout);
            }
        }
        float[] b = new float[len];
        if (bias != null) {
            System.arraycopy(bias, 0, b, 0, cout);
        }
        float[] acc = new float[len];
        for (int p = 0; p < pixels; p++) {
            Arrays.fill(acc, 0f);
            for (int ci = 0; ci < cin; ci++) {
                fma(w[ci], in[ci][p], acc, len);
            }
            if (bias != null) {
                for (int j = 0; j < len; j++) {
                    acc[j] = acc[j] + b[j];
                }
            }
            if (leaky) {
                Hwc.leaky(acc, len);
            }
            for (int co = 0; co < cout; co++) {
                out[co][p] = acc[co];
            }
        }
    }

    /**
     * tfjs {@code maxPool(x, [2, 2], stride, 'same')} for stride 1 or 2: the padding ('same' puts it after the input
     * here) is skipped, never read.
     */
    public static void maxPool2x2(float[][] in, int h, int w, int stride, float[][] out) {
        int outH = (h + stride - 1) / stride;
        int outW = (w + stride - 1) / stride;
        float[] m = new float[w];
        for (int c = 0; c < in.length; c++) {
            float[] src = in[c];
            float[] dst = out[c];
            for (int oy = 0; oy < outH; oy++) {
                int y0 = oy * stride;
                System.arraycopy(src, y0 * w, m, 0, w);
                if (y0 + 1 < h) {
                    int r1 = (y0 + 1) * w;
                    for (int x = 0; x < w; x++) {
                        m[x] = Math.max(m[x], src[r1 + x]);
                    }
                }
                int o = oy * outW;
                for (int ox = 0; ox < outW; ox++) {
                    int x0 = ox * stride;
                    dst[o + ox] = x0 + 1 < w ? Math.max(m[x0], m[x0 + 1]) : m[x0];
                }
            }
        }
    }

    /** Planar {@code [c][h * w]} to HWC. */
    public static float[] toHwc(float[][] planes, int pixels) {
        int c = planes.length;
        float[] out = new float[pixels * c];
        for (int ch = 0; ch < c; ch++) {
            float[] p = planes[ch];
            for (int i = 0; i < pixels; i++) {
                out[i * c + ch] = p[i];
            }
        }
        return out;
    }

    private static void fma(float[] x, float w, float[] acc, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] = Math.fma(x[j], w, acc[j]);
        }
    }

    /** Three taps in order, each rounded as its own step. */
    private static void fma3(float[] x0, float w0, float[] x1, float w1, float[] x2, float w2, float[] acc, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] = Math.fma(x2[j], w2, Math.fma(x1[j], w1, Math.fma(x0[j], w0, acc[j])));
        }
    }

    private static void fma4(float[] x0, float w0, float[] x1, float w1, float[] x2, float w2, float[] x3, float w3,
            float[] acc, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] = Math.fma(x3[j], w3, Math.fma(x2[j], w2, Math.fma(x1[j], w1, Math.fma(x0[j], w0, acc[j]))));
        }
    }

    /** The bias is a separate float32 {@code add} after the convolution in tfjs. */
    private static void finish(float[] acc, float bias, boolean withBias, int n) {
        if (withBias) {
            for (int j = 0; j < n; j++) {
                acc[j] = acc[j] + bias;
            }
        }
    }
}
