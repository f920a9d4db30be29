package io.cropsearch.engine.nn;

/**
 * The narrow stages of the network (stem, 32 and 64 channels; 60% of the arithmetic) on planar activations: one
 * array per channel, zero-bordered so a 3x3 SAME convolution reads past the edges without tests.
 *
 * <p>Why planar: with at most 64 output channels a filter row is too short for good vector code, so these layers
 * vectorise over output pixels instead, {@code acc[pixels] += w * col[pixels]}. On padded planes the input rows a
 * 3x3 tap needs are one contiguous slice per channel (computed over the padded width, two wasted columns per row),
 * so im2col is a bulk copy. The copies exist only because JDK 17's C2 vectorises a loop only when all arrays share
 * the bare loop index. Taps are accumulated in (ky, kx, ci) order with fused multiply-adds, as in every other
 * path, so results are identical to the HWC code's.
 */
public final class Planar {

    public static final int BLOCK = 320;

    private Planar() {
    }

    /** Scratch for planar convolutions: im2col rows and per-channel accumulators. */
    public static final class Scratch {
        final float[][] col = new float[9 * 64 + 3][BLOCK + 64];
        final float[][] acc = new float[64][BLOCK + 64];
        final float[] tmp = new float[BLOCK + 64];
        // stride phases of a strided conv's input: 4 x 3 planes of 75 x 75 for the stem, 4 x 32 of 18 x 18 after it
        final float[] phases = new float[4 * 3 * 75 * 75];
    }

    /** A geometry: h x w interior inside a border of {@code pad} zeros. */
    public record Geo(int h, int w, int pad) {
        int stride() {
            return w + 2 * pad;
        }

        int size() {
            return (h + 2 * pad) * stride();
        }

        int at(int y, int x) {
            return (y + pad) * stride() + x + pad;
        }
    }

    /**
     * 3x3 stride-1 SAME conv + bias, scale, shift and {@code mode} (see {@link Conv}), on padded planes
     * ({@code in} and {@code out} with pad 1; {@code residual} likewise when given).
     */
    public static void convSame3(float[][] in, Geo g, ConvLayer layer, float[][] out, int mode,
                          float[][] residual, Scratch s) {
        int cin = layer.cin();
        int cout = layer.cout();
        int taps = 9 * cin;
        int pw = g.stride();
        // extended output positions q = y * pw + x, x < pw; the last row's two spare columns would read past the end
        int total = g.h() * pw - 2;
        int maxRows = Math.max(1, (BLOCK + 64) / pw);
        int blocks = (g.h() + maxRows - 1) / maxRows;
        int rowsPerBlock = (g.h() + blocks - 1) / blocks;
        float[][] col = s.col;
        float[][] acc = s.acc;
        for (int y0 = 0; y0 < g.h(); y0 += rowsPerBlock) {
            int q0 = y0 * pw;
            int np = Math.min((y0 + rowsPerBlock) * pw, total) - q0;
            for (int ky = 0; ky < 3; ky++) {
                for (int kx = 0; kx < 3; kx++) {
                    int src = q0 + ky * pw + kx;
                    int r = (ky * 3 + kx) * cin;
                    for (int ci = 0; ci < cin; ci++) {
                        System.arraycopy(in[ci], src, col[r + ci], 0, np);
                    }
                }
            }
            accumulate(layer, col, taps, acc, cout, np);
            epilogue(layer, acc, np, pw, y0, Math.min(g.h(), y0 + rowsPerBlock), out, g, mode, residual, s.tmp);
        }
        zeroBorder(out, cout, g);
    }

    /**
     * Writes rows [y0, y1) of {@code out} (geometry {@code g}) from accumulators laid out over rows of {@code pw}
     * positions starting at row y0: + bias, * scale + shift, then {@code mode} (see {@link Conv}).
     *
     * <p>The arithmetic runs in place over the accumulator row with the bare loop index, so C2 can vectorise it, and
     * ReLU is {@code Math.max(v, 0f)} (the same as {@code v > 0 ? v : 0} for every non-NaN v, -0 included) instead of
     * a data-dependent branch. Row loops with offset indexes and that branch took 2.2 ms per descriptor, this takes
     * 0.3 ms. Results then move with {@code System.arraycopy}: the whole block when {@code out} has the accumulators'
     * row pitch (the spare columns land in border cells, cleared by {@link #zeroBorder}), else row by row.
     */
    private static void epilogue(ConvLayer layer, float[][] acc, int np, int pw, int y0, int y1,
                                 float[][] out, Geo g, int mode, float[][] residual, float[] tmp) {
        float[] bias = layer.bias();
        float[] scale = layer.scale();
        float[] shift = layer.shift();
        boolean samePitch = g.stride() == pw;
        int o0 = g.at(y0, 0);
        for (int co = 0; co < layer.cout(); co++) {
            float[] a = acc[co];
            float b = bias[co];
            float sc = scale[co];
            float sh = shift[co];
            if (mode == Conv.ADD_RELU) {
                // residual has out's geometry; only the convSame3 path (same pitch) passes one
                System.arraycopy(residual[co], o0, tmp, 0, np);
                for (int j = 0; j < np; j++) {
                    a[j] = Math.max((a[j] + b) * sc + sh + tmp[j], 0f);
                }
            } else if (mode == Conv.RELU) {
                for (int j = 0; j < np; j++) {
                    a[j] = Math.max((a[j] + b) * sc + sh, 0f);
                }
            } else {
                for (int j = 0; j < np; j++) {
                    a[j] = (a[j] + b) * sc + sh;
                }
            }
            if (samePitch) {
                System.arraycopy(a, 0, out[co], o0, np);
            } else {
                for (int y = y0; y < y1; y++) {
                    System.arraycopy(a, (y - y0) * pw, out[co], g.at(y, 0), g.w());
                }
            }
        }
    }

    /**
     * A VALID convolution with any kernel and stride, + bias, scale, shift and ReLU, from planes of geometry
     * {@code gi} to planes of geometry {@code go} (whose interior size must be the conv's output size).
     *
     * <p>The input is first split into stride phases (for stride 2: even/odd rows x even/odd columns), each a plane
     * of {@code pw} columns. Tap (ky, kx) of output (oy, ox) is then element (oy + ky / stride, ox + kx / stride) of
     * phase (ky % stride, kx % stride): over extended positions q = oy * pw + ox a tap's inputs are one contiguous
     * run, so im2col is one {@code System.arraycopy} per tap and block, as in {@link #convSame3}, instead of a
     * strided gather per element. The {@code pw - ow} extra columns per row are computed and dropped (4% for the
     * stem).
     */
    public static void convValid(float[][] in, Geo gi, ConvLayer layer, int stride, float[][] out, Geo go,
                          Scratch s) {
        int k = layer.k();
        int cin = layer.cin();
        int cout = layer.cout();
        int taps = k * k * cin;
        int reach = (k - 1) / stride;
        int pw = go.w() + reach;
        int ph = go.h() + reach;
        int plane = ph * pw;
        float[] phases = s.phases;
        for (int py = 0; py < stride; py++) {
            for (int px = 0; px < stride; px++) {
                for (int ci = 0; ci < cin; ci++) {
                    float[] src = in[ci];
                    int d = ((py * stride + px) * cin + ci) * plane;
                    for (int r = 0; r < ph; r++) {
                        int y = r * stride + py;
                        for (int c = 0; c < pw; c++) {
                            int x = c * stride + px;
                            phases[d++] = y < gi.h() && x < gi.w() ? src[gi.at(y, x)] : 0f;
                        }
                    }
                }
            }
        }
        // the last row's spare columns would read past the last phase plane
        int total = go.h() * pw - reach;
        int maxRows = Math.max(1, (BLOCK + 64) / pw);
        int blocks = (go.h() + maxRows - 1) / maxRows;
        int rowsPerBlock = (go.h() + blocks - 1) / blocks;
        float[][] col = s.col;
        float[][] acc = s.acc;
        for (int y0 = 0; y0 < go.h(); y0 += rowsPerBlock) {
            int q0 = y0 * pw;
            int np = Math.min((y0 + rowsPerBlock) * pw, total) - q0;
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    int src = ((ky % stride) * stride + kx % stride) * cin * plane + q0 + (ky / stride) * pw
                            + kx / stride;
                    int r = (ky * k + kx) * cin;
                    for (int ci = 0; ci < cin; ci++) {
                        System.arraycopy(phases, src + ci * plane, col[r + ci], 0, np);
                    }
                }
            }
            accumulate(layer, col, taps, acc, cout, np);
            epilogue(layer, acc, np, pw, y0, Math.min(go.h(), y0 + rowsPerBlock), out, go, Conv.RELU, null, s.tmp);
        }
        zeroBorder(out, cout, go);
    }

    /**
     * acc[co][0..np) = sum over taps of w[tap][co] * col[tap][0..np), taps in order, six tap rows per pass.
     *
     * <p>Taps are the outer loop, six at a time: those six col rows (8 KB at most) stay in L1 while every output
     * channel reads them, and each channel's accumulator row is loaded and stored once per six taps. With channels
     * outermost, as before, every channel streamed the block's whole im2col (380-860 KB) from L2, which bounded these
     * stages. Each channel still adds its taps in (ky, kx, ci) order, so the result is unchanged.
     */
    private static void accumulate(ConvLayer layer, float[][] col, int taps, float[][] acc, int cout,
                                   int np) {
        float[][] w = layer.rows();
        for (int co = 0; co < cout; co++) {
            java.util.Arrays.fill(acc[co], 0, np, 0f);
        }
        int r = 0;
        for (; r + 6 <= taps; r += 6) {
            float[] w0 = w[r];
            float[] w1 = w[r + 1];
            float[] w2 = w[r + 2];
            float[] w3 = w[r + 3];
            float[] w4 = w[r + 4];
            float[] w5 = w[r + 5];
            for (int co = 0; co < cout; co++) {
                Conv.fma6(w0[co], col[r], w1[co], col[r + 1], w2[co], col[r + 2], w3[co], col[r + 3], w4[co], col[r + 4],
                        w5[co], col[r + 5], acc[co], np);
            }
        }
        for (; r < taps; r++) {
            for (int co = 0; co < cout; co++) {
                Conv.fma1(w[r][co], col[r], acc[co], np);
            }
        }
    }

    /** 3x3 stride-2 VALID max pool. */
    public static void maxPool3s2(float[][] in, Geo gi, int c, float[][] out, Geo go) {
        for (int ch = 0; ch < c; ch++) {
            float[] src = in[ch];
            float[] dst = out[ch];
            for (int oy = 0; oy < go.h(); oy++) {
                for (int ox = 0; ox < go.w(); ox++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < 3; ky++) {
                        int i = gi.at(2 * oy + ky, 2 * ox);
                        m = Math.max(m, Math.max(src[i], Math.max(src[i + 1], src[i + 2])));
                    }
                    dst[go.at(oy, ox)] = m;
                }
            }
        }
        zeroBorder(out, c, go);
    }

    /**
     * relu(main + shortcut): shortcut = 2x2 average pool of {@code x} (cin channels, zero beyond), main already computed
     * with the same output size (no row/column padding is needed in the narrow stages: 35 -> 17).
     */
    public static void addPooledShortcut(float[][] x, Geo gx, int cin, float[][] main, Geo g, int cout, float[][] out) {
        for (int c = 0; c < cout; c++) {
            float[] m = main[c];
            float[] o = out[c];
            for (int oy = 0; oy < g.h(); oy++) {
                for (int ox = 0; ox < g.w(); ox++) {
                    float pooled = 0f;
                    if (c < cin) {
                        float[] src = x[c];
                        int i = gx.at(2 * oy, 2 * ox);
                        int j = gx.at(2 * oy + 1, 2 * ox);
                        double sum = src[i];
                        sum += src[i + 1];
                        sum += src[j];
                        sum += src[j + 1];
                        pooled = (float) (sum / 4);
                    }
                    float v = pooled + m[g.at(oy, ox)];
                    o[g.at(oy, ox)] = Math.max(v, 0f);
                }
            }
        }
        zeroBorder(out, cout, g);
    }

    /** Planes to HWC (interior only). */
    public static void toHwc(float[][] in, Geo g, int c, float[] out) {
        for (int ch = 0; ch < c; ch++) {
            float[] src = in[ch];
            for (int y = 0; y < g.h(); y++) {
                for (int x = 0; x < g.w(); x++) {
                    out[(y * g.w() + x) * c + ch] = src[g.at(y, x)];
                }
            }
        }
    }

    // Buffers are reused across geometries, so whatever a previous layer left in today's border must be cleared.
    private static void zeroBorder(float[][] planes, int c, Geo g) {
        if (g.pad() == 0) {
            return;
        }
        int pw = g.stride();
        int ph = g.h() + 2 * g.pad();
        for (int ch = 0; ch < c; ch++) {
            float[] p = planes[ch];
            java.util.Arrays.fill(p, 0, g.pad() * pw, 0f);
            java.util.Arrays.fill(p, (ph - g.pad()) * pw, ph * pw, 0f);
            for (int y = g.pad(); y < ph - g.pad(); y++) {
                java.util.Arrays.fill(p, y * pw, y * pw + g.pad(), 0f);
                java.util.Arrays.fill(p, y * pw + pw - g.pad(), y * pw + pw, 0f);
            }
        }
    }
}
