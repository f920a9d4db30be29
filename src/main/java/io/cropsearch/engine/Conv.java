package io.cropsearch.engine;

import java.util.Arrays;

/** The layer operations of {@link FaceRecognitionNet}, on HWC float arrays. */
final class Conv {

    static final int NONE = 0;
    static final int RELU = 1;
    static final int ADD_RELU = 2;

    private Conv() {
    }

    static int outSize(int in, int k, int stride, boolean same) {
        return same ? (in + stride - 1) / stride : (in - k) / stride + 1;
    }

    /**
     * conv2d, + bias, * scale + shift, then the epilogue {@code mode}: nothing, ReLU, or add {@code residual} and ReLU.
     * Output channels are contiguous, so the inner loop is a vectorisable axpy over a filter row.
     */
    static void conv(float[] in, int h, int w, FaceRecognitionNet.ConvLayer layer, int stride, boolean same,
                     float[] out, int mode, float[] residual) {
        int k = layer.k();
        int cin = layer.cin();
        int cout = layer.cout();
        float[] f = layer.filters();
        int oh = outSize(h, k, stride, same);
        int ow = outSize(w, k, stride, same);
        int padTop = same ? Math.max((oh - 1) * stride + k - h, 0) / 2 : 0;
        int padLeft = same ? Math.max((ow - 1) * stride + k - w, 0) / 2 : 0;
        int rowStride = k * cin * cout;
        for (int oy = 0; oy < oh; oy++) {
            int iy0 = oy * stride - padTop;
            for (int ox = 0; ox < ow; ox++) {
                int ix0 = ox * stride - padLeft;
                int o = (oy * ow + ox) * cout;
                Arrays.fill(out, o, o + cout, 0f);
                for (int ky = 0; ky < k; ky++) {
                    int iy = iy0 + ky;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int kx = 0; kx < k; kx++) {
                        int ix = ix0 + kx;
                        if (ix < 0 || ix >= w) {
                            continue;
                        }
                        int xi = (iy * w + ix) * cin;
                        int wi = ky * rowStride + kx * cin * cout;
                        for (int ci = 0; ci < cin; ci++) {
                            float v = in[xi + ci];
                            // ReLU outputs are about half zeros; adding 0 * w changes nothing, so skip it
                            if (v != 0f) {
                                axpy(v, f, wi + ci * cout, out, o, cout);
                            }
                        }
                    }
                }
                epilogue(layer, out, o, mode, residual);
            }
        }
    }

    private static void axpy(float v, float[] f, int fo, float[] out, int o, int n) {
        for (int j = 0; j < n; j++) {
            out[o + j] = Math.fma(v, f[fo + j], out[o + j]);
        }
    }

    private static void epilogue(FaceRecognitionNet.ConvLayer layer, float[] out, int o, int mode, float[] residual) {
        float[] bias = layer.bias();
        float[] scale = layer.scale();
        float[] shift = layer.shift();
        int cout = bias.length;
        // Same operation order as face-api.js: add bias, multiply by scale, add shift, (add residual), relu.
        for (int c = 0; c < cout; c++) {
            float v = (out[o + c] + bias[c]) * scale[c] + shift[c];
            if (mode == ADD_RELU) {
                v += residual[o + c];
            }
            out[o + c] = mode != NONE && !(v > 0f) ? 0f : v;
        }
    }

    /** 3x3 max pool, stride 2, VALID. */
    static void maxPool3s2(float[] in, int h, int w, int c, float[] out) {
        int oh = (h - 3) / 2 + 1;
        int ow = (w - 3) / 2 + 1;
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int o = (oy * ow + ox) * c;
                Arrays.fill(out, o, o + c, Float.NEGATIVE_INFINITY);
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        int i = ((2 * oy + ky) * w + 2 * ox + kx) * c;
                        for (int ch = 0; ch < c; ch++) {
                            out[o + ch] = Math.max(out[o + ch], in[i + ch]);
                        }
                    }
                }
            }
        }
    }
}
