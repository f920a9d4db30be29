package io.cropsearch.engine.face;

import io.cropsearch.engine.nn.Conv;
import io.cropsearch.engine.nn.ConvLayer;
import io.cropsearch.engine.nn.Hwc;
import io.cropsearch.engine.nn.Planar;
import io.cropsearch.engine.nn.PlanarSeparable;
import io.cropsearch.engine.nn.Tensor;

import java.util.Arrays;
import java.util.Map;

/**
 * face-api.js's {@code denseBlock3} / {@code denseBlock4} (faceFeatureExtractor/denseBlock.js): a 3x3 convolution
 * that halves the size, then two or three depthwise separable 3x3 convolutions, each fed with the ReLU of the sum of
 * all earlier outputs of the block:
 *
 * <pre>
 * out1 = relu(conv0(x))                        conv0: dense conv + bias in the first block, separable otherwise
 * out2 = sep1(out1)
 * out3 = sep2(relu(out1 + out2))
 * [out4 = sep3(relu(out1 + (out2 + out3)))]    denseBlock4 only
 * y    = relu(out1 + (out2 + (out3 [+ out4])))
 * </pre>
 *
 * The sums are float32 and grouped as written (face-api.js's {@code tf.add} nesting); float addition is commutative,
 * so {@code a += b} in place gives the same bits as {@code b + a}.
 *
 * <p>Two layouts, the same arithmetic: blocks with a large output (56x56 to 14x14, 32 to 128 channels) run on
 * zero-bordered planes ({@link PlanarSeparable}, vectorised over positions); the last block of the full net (7x7,
 * 256 channels) on HWC arrays ({@link Hwc}, vectorised over its long channel rows). Immutable.
 */
final class DenseBlock {

    /** Smallest output side run on planes: below it the rows of positions are too short for vector loops. */
    static final int MIN_PLANAR_SIDE = 14;

    private final int cin;
    private final int cout;
    private final int outSide;
    private final ConvLayer first;          // conv0 of the first block (planar), else null
    private final PlanarSeparable[] planar; // separable convs of a planar block, conv0 first unless it is `first`
    private final Separable[] hwc;          // separable convs of an HWC block, conv0 first

    /** A depthwise separable 3x3 convolution plus bias on HWC arrays, with {@link Hwc}'s kernels. */
    record Separable(int cin, int cout, float[][] taps, float[][] rows, float[] bias) {

        /** {@code in} and {@code out} may be the same array: the depthwise pass reads all of it first. */
        void apply(float[] in, Hwc.Window g, float[] depthwise, float[] out) {
            Hwc.depthwise(in, cin, g, taps, depthwise);
            pointwise(depthwise, g.outH() * g.outW(), out);
        }

        /**
         * {@link Hwc#pointwise}'s sums (input channels in order, one fused multiply-add each, then the bias), six
         * filter rows per pass over the accumulator ({@link Conv#fma6}): the 256-wide accumulator is loaded and
         * stored once per six channels instead of once per channel (dense3: 1.36 -> 0.90 ms of CPU).
         */
        private void pointwise(float[] in, int pixels, float[] out) {
            float[] acc = new float[cout];
            float[] x = new float[cin];
            for (int p = 0; p < pixels; p++) {
                Arrays.fill(acc, 0f);
                System.arraycopy(in, p * cin, x, 0, cin);
                int ci = 0;
                for (; ci + 6 <= cin; ci += 6) {
                    Conv.fma6(x[ci], rows[ci], x[ci + 1], rows[ci + 1], x[ci + 2], rows[ci + 2], x[ci + 3],
                            rows[ci + 3], x[ci + 4], rows[ci + 4], x[ci + 5], rows[ci + 5], acc, cout);
                }
                for (; ci < cin; ci++) {
                    Conv.fma1(x[ci], rows[ci], acc, cout);
                }
                for (int j = 0; j < cout; j++) {
                    acc[j] = acc[j] + bias[j];
                }
                System.arraycopy(acc, 0, out, p * cout, cout);
            }
        }
    }

    private DenseBlock(int cin, int cout, int outSide, ConvLayer first, PlanarSeparable[] planar, Separable[] hwc) {
        this.cin = cin;
        this.cout = cout;
        this.outSide = outSide;
        this.first = first;
        this.planar = planar;
        this.hwc = hwc;
    }

    /**
     * Block {@code prefix} (e.g. {@code dense0}) with {@code separables} separable convs after conv0 (2 or 3), for an
     * input of {@code inSide} x {@code inSide}; {@code first}: conv0 is a dense conv on the image.
     */
    static DenseBlock load(Map<String, Tensor> w, String prefix, boolean first, int separables, int inSide) {
        int outSide = (inSide + 1) / 2;
        boolean onPlanes = outSide >= MIN_PLANAR_SIDE;
        if (first && !onPlanes) {
            throw new IllegalStateException(prefix + ": the first block runs on planes only");
        }
        ConvLayer conv0 = null;
        int cin;
        int cout;
        int n = separables + (first ? 0 : 1);
        Tensor[][] sep = new Tensor[n][];
        int i = 0;
        if (first) {
            Tensor f = require(w, prefix + "/conv0/filters", 4);
            Tensor b = require(w, prefix + "/conv0/bias", 1);
            cin = f.dim(2);
            cout = f.dim(3);
            if (f.dim(0) != 3 || f.dim(1) != 3 || b.dim(0) != cout) {
                throw new IllegalStateException(prefix + "/conv0: unexpected shapes");
            }
            // relu(conv + bias) is Planar's conv unit with scale 1 and shift 0: (a + b) * 1 + 0 == a + b exactly
            float[] one = new float[cout];
            Arrays.fill(one, 1f);
            conv0 = ConvLayer.of(3, cin, cout, f.values(), b.values(), one, new float[cout]);
        } else {
            sep[i++] = separable(w, prefix + "/conv0");
            cin = sep[0][0].dim(2);
            cout = sep[0][1].dim(3);
        }
        for (int k = 1; k <= separables; k++) {
            Tensor[] s = separable(w, prefix + "/conv" + k);
            if (s[0].dim(2) != cout || s[1].dim(3) != cout) {
                throw new IllegalStateException(prefix + "/conv" + k + ": expected " + cout + " channels");
            }
            sep[i++] = s;
        }
        PlanarSeparable[] planar = null;
        Separable[] hwc = null;
        if (onPlanes) {
            planar = new PlanarSeparable[n];
            for (int k = 0; k < n; k++) {
                int ci = sep[k][0].dim(2);
                planar[k] = new PlanarSeparable(ci, sep[k][1].dim(3), sep[k][0].values(), sep[k][1].values(),
                        sep[k][2].values());
            }
        } else {
            hwc = new Separable[n];
            for (int k = 0; k < n; k++) {
                int ci = sep[k][0].dim(2);
                int co = sep[k][1].dim(3);
                hwc[k] = new Separable(ci, co, Hwc.rows(sep[k][0].values(), 9, ci),
                        Hwc.rows(sep[k][1].values(), ci, co), sep[k][2].values());
            }
        }
        return new DenseBlock(cin, cout, outSide, conv0, planar, hwc);
    }

    /** depthwise [3, 3, c, 1], pointwise [1, 1, c, cout], bias [cout]. */
    private static Tensor[] separable(Map<String, Tensor> w, String prefix) {
        Tensor dw = require(w, prefix + "/depthwise_filter", 4);
        Tensor pw = require(w, prefix + "/pointwise_filter", 4);
        Tensor bias = require(w, prefix + "/bias", 1);
        int c = dw.dim(2);
        if (dw.dim(0) != 3 || dw.dim(1) != 3 || dw.dim(3) != 1 || pw.dim(0) != 1 || pw.dim(1) != 1
                || pw.dim(2) != c || bias.dim(0) != pw.dim(3)) {
            throw new IllegalStateException(prefix + ": unexpected separable conv shapes");
        }
        return new Tensor[] {dw, pw, bias};
    }

    private static Tensor require(Map<String, Tensor> w, String name, int rank) {
        Tensor t = w.get(name);
        if (t == null || t.shape().length != rank) {
            throw new IllegalStateException("weights lack a rank-" + rank + " " + name);
        }
        return t;
    }

    int channelsIn() {
        return cin;
    }

    int channelsOut() {
        return cout;
    }

    int outSide() {
        return outSide;
    }

    boolean onPlanes() {
        return planar != null;
    }

    /** denseBlock4 (three separable convs after conv0) rather than denseBlock3. */
    boolean hasOut4() {
        int n = planar != null ? planar.length : hwc.length;
        return n - (first != null ? 0 : 1) == 3;
    }

    /**
     * Planar path: {@code in} (geometry {@code gi}; the image without border for the first block, else the previous
     * block's output with its one-cell zero border) to {@code ws.x} (output side with a one-cell zero border).
     */
    void applyPlanar(float[][] in, Planar.Geo gi, PlanesWorkspace ws) {
        Planar.Geo g = new Planar.Geo(outSide, outSide, 1);
        int size = (outSide + 2) * (outSide + 2); // whole bordered planes: the zero border stays zero
        int next = 0;
        if (first != null) {
            Planar.convValid(in, gi, first, 2, ws.out1, g, ws.convScratch); // 'same' with pad 0 before: see load
        } else {
            planar[next++].apply(in, gi, 2, ws.out1, g, ws.sepScratch);
            relu(ws.out1, size);
        }
        planar[next++].apply(ws.out1, g, 1, ws.out2, g, ws.sepScratch);
        copy(ws.out2, ws.sum, size); // in3 = relu(out1 + out2)
        add(ws.sum, ws.out1, size);
        relu(ws.sum, size);
        planar[next++].apply(ws.sum, g, 1, ws.out3, g, ws.sepScratch);
        float[][] last = ws.out3;
        if (next < planar.length) {
            copy(ws.out3, ws.sum, size); // in4 = relu(out1 + (out2 + out3))
            add(ws.sum, ws.out2, size);
            add(ws.sum, ws.out1, size);
            relu(ws.sum, size);
            planar[next].apply(ws.sum, g, 1, ws.out4, g, ws.sepScratch);
            add(ws.out4, ws.out3, size); // out3 + out4
            last = ws.out4;
        }
        add(last, ws.out2, size); // y = relu(out1 + (out2 + last))
        add(last, ws.out1, size);
        relu(last, size);
        ws.swapInput(last);
    }

    private void copy(float[][] from, float[][] to, int size) {
        for (int c = 0; c < cout; c++) {
            System.arraycopy(from[c], 0, to[c], 0, size);
        }
    }

    private void add(float[][] a, float[][] b, int size) {
        for (int c = 0; c < cout; c++) {
            Hwc.add(a[c], b[c], size);
        }
    }

    private void relu(float[][] a, int size) {
        for (int c = 0; c < cout; c++) {
            Hwc.relu(a[c], size);
        }
    }

    /** HWC path: {@code ws.x} ({@code inSide} squared x {@link #channelsIn()}) to {@code ws.x}. */
    void applyHwc(int inSide, HwcWorkspace ws) {
        Hwc.Window down = Hwc.Window.same(inSide, inSide, 3, 2);
        Hwc.Window same = Hwc.Window.same(outSide, outSide, 3, 1);
        int n = outSide * outSide * cout;
        int next = 0;
        hwc[next++].apply(ws.x, down, ws.depthwise, ws.out1);
        Hwc.relu(ws.out1, n);
        hwc[next++].apply(ws.out1, same, ws.depthwise, ws.out2);
        System.arraycopy(ws.out2, 0, ws.sum, 0, n); // in3 = relu(out1 + out2)
        Hwc.add(ws.sum, ws.out1, n);
        Hwc.relu(ws.sum, n);
        hwc[next++].apply(ws.sum, same, ws.depthwise, ws.out3);
        float[] last = ws.out3;
        if (next < hwc.length) {
            System.arraycopy(ws.out3, 0, ws.sum, 0, n); // in4 = relu(out1 + (out2 + out3))
            Hwc.add(ws.sum, ws.out2, n);
            Hwc.add(ws.sum, ws.out1, n);
            Hwc.relu(ws.sum, n);
            hwc[next].apply(ws.sum, same, ws.depthwise, ws.sum); // out4, over in4
            Hwc.add(ws.sum, ws.out3, n); // out3 + out4
            last = ws.sum;
        }
        Hwc.add(last, ws.out2, n); // y = relu(out1 + (out2 + last))
        Hwc.add(last, ws.out1, n);
        Hwc.relu(last, n);
        ws.swapInput(last);
    }

    /** Planar scratch of one forward pass: block input/output and intermediates, one plane per channel. */
    static final class PlanesWorkspace {
        float[][] x;
        float[][] out1;
        float[][] out2;
        float[][] out3;
        float[][] out4;
        float[][] sum;
        final Planar.Scratch convScratch = new Planar.Scratch();
        final PlanarSeparable.Scratch sepScratch;

        /**
         * {@code planeSizes[c]}: the largest bordered plane channel c has in any planar block; {@code out4}: some
         * planar block is a denseBlock4.
         */
        PlanesWorkspace(int[] planeSizes, boolean out4) {
            x = planes(planeSizes);
            out1 = planes(planeSizes);
            out2 = planes(planeSizes);
            out3 = planes(planeSizes);
            this.out4 = out4 ? planes(planeSizes) : null;
            sum = planes(planeSizes);
            sepScratch = new PlanarSeparable.Scratch(planeSizes.length);
        }

        private static float[][] planes(int[] sizes) {
            float[][] p = new float[sizes.length][];
            for (int c = 0; c < sizes.length; c++) {
                p[c] = new float[sizes[c]];
            }
            return p;
        }

        /** Makes {@code result} (out3 or out4) the next block's input; the old input takes its place. */
        void swapInput(float[][] result) {
            float[][] old = x;
            x = result;
            if (result == out3) {
                out3 = old;
            } else {
                out4 = old;
            }
        }
    }

    /** HWC scratch of one forward pass. */
    static final class HwcWorkspace {
        float[] x;
        float[] out1;
        float[] out2;
        float[] out3;
        float[] sum;
        final float[] depthwise;

        HwcWorkspace(int size) {
            x = new float[size];
            out1 = new float[size];
            out2 = new float[size];
            out3 = new float[size];
            sum = new float[size];
            depthwise = new float[size];
        }

        /** Makes {@code result} (out3 or sum) the next block's input; the old input takes its place. */
        void swapInput(float[] result) {
            float[] old = x;
            x = result;
            if (result == out3) {
                out3 = old;
            } else {
                sum = old;
            }
        }
    }
}
