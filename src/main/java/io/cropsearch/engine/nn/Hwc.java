package io.cropsearch.engine.nn;

/**
 * Layer operations on HWC float activations (one image, channels last), with the arithmetic of tfjs-core 1.7's cpu
 * backend, which is what face-api.js runs on: every convolution adds its taps to a float32 accumulator in the order
 * (filter row, filter column, input channel), one {@code y += x * w} per tap. {@link Math#fma} rounds that step once,
 * the JavaScript code rounds the product's sum to double and then to float32; the two agree except in rare ties, so
 * the ports built on these track the reference to about 1e-7 (see docs/ENGINE.md).
 *
 * <p>Filters are held as one array per input tap ({@code rows[(ky * k + kx) * cin + ci]} = the {@code cout} weights of
 * that tap), so the inner loops index every array with the bare loop variable, the shape JDK 17's C2 vectorises.
 */
public final class Hwc {

    private Hwc() {
    }

    /** Spatial geometry of a window operation: output size and the zeros added before the first row/column. */
    public record Window(int inH, int inW, int k, int stride, int outH, int outW, int padTop, int padLeft) {

        /** tfjs 'same': output = ceil(in / stride), padding split with the smaller half first. */
        public static Window same(int inH, int inW, int k, int stride) {
            int outH = (inH + stride - 1) / stride;
            int outW = (inW + stride - 1) / stride;
            int padH = Math.max(0, (outH - 1) * stride + k - inH);
            int padW = Math.max(0, (outW - 1) * stride + k - inW);
            return new Window(inH, inW, k, stride, outH, outW, padH / 2, padW / 2);
        }

        /** tfjs 'valid': no padding, output = ceil((in - k + 1) / stride). */
        public static Window valid(int inH, int inW, int k, int stride) {
            int outH = (inH - k + stride) / stride;
            int outW = (inW - k + stride) / stride;
            return new Window(inH, inW, k, stride, outH, outW, 0, 0);
        }
    }

    /** Splits an HWIO filter of {@code taps * cin} rows of {@code cout} values into one array per row. */
    public static float[][] rows(float[] hwio, int rows, int cout) {
        if (hwio.length != rows * cout) {
            throw new IllegalArgumentException("filter has " + hwio.length + " values, expected " + rows * cout);
        }
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = java.util.Arrays.copyOfRange(hwio, r * cout, (r + 1) * cout);
        }
        return out;
    }

    /**
     * Dense convolution (tfjs {@code conv2d}) plus bias. {@code rows} from {@link #rows} of a [k, k, cin, cout] filter;
     * {@code bias} may be null. Writes {@code outH * outW * cout} values to {@code out}.
     */
    public static void conv(float[] in, int cin, Window g, float[][] rows, int cout, float[] bias, float[] out) {
        float[] acc = new float[cout];
        float[] x = new float[cin];
        for (int oy = 0; oy < g.outH(); oy++) {
            for (int ox = 0; ox < g.outW(); ox++) {
                java.util.Arrays.fill(acc, 0f);
                for (int ky = 0; ky < g.k(); ky++) {
                    int iy = oy * g.stride() - g.padTop() + ky;
                    if (iy < 0 || iy >= g.inH()) {
                        continue;
                    }
                    for (int kx = 0; kx < g.k(); kx++) {
                        int ix = ox * g.stride() - g.padLeft() + kx;
                        if (ix < 0 || ix >= g.inW()) {
                            continue;
                        }
                        System.arraycopy(in, (iy * g.inW() + ix) * cin, x, 0, cin);
                        int r = (ky * g.k() + kx) * cin;
                        for (int ci = 0; ci < cin; ci++) {
                            fma(x[ci], rows[r + ci], acc, cout);
                        }
                    }
                }
                finish(acc, bias, out, (oy * g.outW() + ox) * cout, cout);
            }
        }
    }

    /**
     * Depthwise convolution (tfjs {@code depthwiseConv2d}, channel multiplier 1) without bias. {@code taps[ky * k + kx]}
     * holds the {@code c} weights of one filter position (the [k, k, c, 1] filter split by {@link #rows}).
     */
    public static void depthwise(float[] in, int c, Window g, float[][] taps, float[] out) {
        float[] acc = new float[c];
        float[] x = new float[c];
        for (int oy = 0; oy < g.outH(); oy++) {
            for (int ox = 0; ox < g.outW(); ox++) {
                java.util.Arrays.fill(acc, 0f);
                for (int ky = 0; ky < g.k(); ky++) {
                    int iy = oy * g.stride() - g.padTop() + ky;
                    if (iy < 0 || iy >= g.inH()) {
                        continue;
                    }
                    for (int kx = 0; kx < g.k(); kx++) {
                        int ix = ox * g.stride() - g.padLeft() + kx;
                        if (ix < 0 || ix >= g.inW()) {
                            continue;
                        }
                        System.arraycopy(in, (iy * g.inW() + ix) * c, x, 0, c);
                        float[] w = taps[ky * g.k() + kx];
                        for (int j = 0; j < c; j++) {
                            acc[j] = Math.fma(x[j], w[j], acc[j]);
                        }
                    }
                }
                System.arraycopy(acc, 0, out, (oy * g.outW() + ox) * c, c);
            }
        }
    }

    /** 1x1 convolution over {@code pixels} pixels (tfjs {@code conv2d} with a [1, 1, cin, cout] filter) plus bias. */
    public static void pointwise(float[] in, int pixels, int cin, float[][] rows, int cout, float[] bias, float[] out) {
        float[] acc = new float[cout];
        float[] x = new float[cin];
        for (int p = 0; p < pixels; p++) {
            java.util.Arrays.fill(acc, 0f);
            System.arraycopy(in, p * cin, x, 0, cin);
            for (int ci = 0; ci < cin; ci++) {
                fma(x[ci], rows[ci], acc, cout);
            }
            finish(acc, bias, out, p * cout, cout);
        }
    }

    /** tfjs {@code maxPool}: padding never wins (it is skipped, not read as zero). */
    public static void maxPool(float[] in, int c, Window g, float[] out) {
        for (int oy = 0; oy < g.outH(); oy++) {
            int y0 = Math.max(0, oy * g.stride() - g.padTop());
            int y1 = Math.min(g.inH(), oy * g.stride() - g.padTop() + g.k());
            for (int ox = 0; ox < g.outW(); ox++) {
                int x0 = Math.max(0, ox * g.stride() - g.padLeft());
                int x1 = Math.min(g.inW(), ox * g.stride() - g.padLeft() + g.k());
                int o = (oy * g.outW() + ox) * c;
                java.util.Arrays.fill(out, o, o + c, Float.NEGATIVE_INFINITY);
                for (int iy = y0; iy < y1; iy++) {
                    for (int ix = x0; ix < x1; ix++) {
                        int i = (iy * g.inW() + ix) * c;
                        for (int j = 0; j < c; j++) {
                            out[o + j] = Math.max(out[o + j], in[i + j]);
                        }
                    }
                }
            }
        }
    }

    /** tfjs {@code avgPool}: the mean over the window's pixels inside the image (padding not counted). */
    public static void avgPool(float[] in, int c, Window g, float[] out) {
        double[] sum = new double[c];
        for (int oy = 0; oy < g.outH(); oy++) {
            int y0 = Math.max(0, oy * g.stride() - g.padTop());
            int y1 = Math.min(g.inH(), oy * g.stride() - g.padTop() + g.k());
            for (int ox = 0; ox < g.outW(); ox++) {
                int x0 = Math.max(0, ox * g.stride() - g.padLeft());
                int x1 = Math.min(g.inW(), ox * g.stride() - g.padLeft() + g.k());
                java.util.Arrays.fill(sum, 0);
                for (int iy = y0; iy < y1; iy++) {
                    for (int ix = x0; ix < x1; ix++) {
                        int i = (iy * g.inW() + ix) * c;
                        for (int j = 0; j < c; j++) {
                            sum[j] += in[i + j]; // the reference sums in double (a JS number)
                        }
                    }
                }
                int count = (y1 - y0) * (x1 - x0);
                int o = (oy * g.outW() + ox) * c;
                for (int j = 0; j < c; j++) {
                    out[o + j] = (float) (sum[j] / count);
                }
            }
        }
    }

    /** In place: {@code max(v, 0)}. */
    public static void relu(float[] v, int n) {
        for (int i = 0; i < n; i++) {
            v[i] = Math.max(v[i], 0f);
        }
    }

    /**
     * In place: face-api.js's {@code leaky} (tiny YOLO v2), computed the way it computes it, in float32 steps:
     * {@code min = x * 0.1; relu(x - min) + min}.
     */
    public static void leaky(float[] v, int n) {
        for (int i = 0; i < n; i++) {
            float min = v[i] * 0.1f;
            v[i] = Math.max(v[i] - min, 0f) + min;
        }
    }

    /** In place: {@code a[i] += b[i]}, float32 sums as tfjs {@code add}. */
    public static void add(float[] a, float[] b, int n) {
        for (int i = 0; i < n; i++) {
            a[i] = a[i] + b[i];
        }
    }

    private static void fma(float v, float[] w, float[] acc, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] = Math.fma(v, w[j], acc[j]);
        }
    }

    private static void finish(float[] acc, float[] bias, float[] out, int o, int n) {
        if (bias != null) {
            for (int j = 0; j < n; j++) {
                acc[j] = acc[j] + bias[j];
            }
        }
        System.arraycopy(acc, 0, out, o, n);
    }
}
