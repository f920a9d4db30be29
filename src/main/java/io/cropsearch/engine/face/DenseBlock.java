package io.cropsearch.engine.face;

import io.cropsearch.engine.nn.Hwc;
import io.cropsearch.engine.nn.Tensor;

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
 * so {@code a += b} in place gives the same bits as {@code b + a}. Immutable.
 */
final class DenseBlock {

    private final int cin;
    private final int cout;
    private final float[][] firstRows; // conv0 as a dense conv (first block), else null
    private final float[] firstBias;
    private final Separable[] convs;   // sep0 (if not the first block), sep1, sep2[, sep3]

    /** A depthwise separable 3x3 convolution plus bias ({@code tf.separableConv2d(.., 'same')} then {@code tf.add}). */
    record Separable(int cin, int cout, float[][] taps, float[][] rows, float[] bias) {

        static Separable load(Map<String, Tensor> w, String prefix) {
            Tensor dw = require(w, prefix + "/depthwise_filter", 4);
            Tensor pw = require(w, prefix + "/pointwise_filter", 4);
            Tensor bias = require(w, prefix + "/bias", 1);
            int cin = dw.dim(2);
            int cout = pw.dim(3);
            if (dw.dim(0) != 3 || dw.dim(1) != 3 || dw.dim(3) != 1 || pw.dim(0) != 1 || pw.dim(1) != 1
                    || pw.dim(2) != cin || bias.dim(0) != cout) {
                throw new IllegalStateException(prefix + ": unexpected separable conv shapes");
            }
            return new Separable(cin, cout, Hwc.rows(dw.values(), 9, cin), Hwc.rows(pw.values(), cin, cout),
                    bias.values());
        }

        /** {@code in} and {@code out} may be the same array: the depthwise pass reads all of it first. */
        void apply(float[] in, Hwc.Window g, float[] depthwise, float[] out) {
            Hwc.depthwise(in, cin, g, taps, depthwise);
            Hwc.pointwise(depthwise, g.outH() * g.outW(), cin, rows, cout, bias, out);
        }
    }

    private DenseBlock(int cin, int cout, float[][] firstRows, float[] firstBias, Separable[] convs) {
        this.cin = cin;
        this.cout = cout;
        this.firstRows = firstRows;
        this.firstBias = firstBias;
        this.convs = convs;
    }

    /** Block {@code prefix} (e.g. {@code dense0}) with {@code separables} separable convs after conv0 (2 or 3). */
    static DenseBlock load(Map<String, Tensor> w, String prefix, boolean first, int separables) {
        Separable[] convs = new Separable[separables + (first ? 0 : 1)];
        int i = 0;
        float[][] firstRows = null;
        float[] firstBias = null;
        int cin;
        int cout;
        if (first) {
            Tensor f = require(w, prefix + "/conv0/filters", 4);
            Tensor b = require(w, prefix + "/conv0/bias", 1);
            cin = f.dim(2);
            cout = f.dim(3);
            if (f.dim(0) != 3 || f.dim(1) != 3 || b.dim(0) != cout) {
                throw new IllegalStateException(prefix + "/conv0: unexpected shapes");
            }
            firstRows = Hwc.rows(f.values(), 9 * cin, cout);
            firstBias = b.values();
        } else {
            convs[i++] = Separable.load(w, prefix + "/conv0");
            cin = convs[0].cin();
            cout = convs[0].cout();
        }
        for (int k = 1; k <= separables; k++) {
            Separable s = Separable.load(w, prefix + "/conv" + k);
            if (s.cin() != cout || s.cout() != cout) {
                throw new IllegalStateException(prefix + "/conv" + k + ": expected " + cout + " channels");
            }
            convs[i++] = s;
        }
        return new DenseBlock(cin, cout, firstRows, firstBias, convs);
    }

    int channelsIn() {
        return cin;
    }

    int channelsOut() {
        return cout;
    }

    /** Largest activation (values) the block writes for an input of {@code side} x {@code side}. */
    int scratchSize(int side) {
        int out = (side + 1) / 2;
        return Math.max(out * out * cout, side * side * cin);
    }

    /**
     * Runs the block on {@code ws.x} ({@code side} x {@code side} x {@link #channelsIn()}); the result
     * ({@code (side + 1) / 2} squared x {@link #channelsOut()}) is left in {@code ws.x}. Returns the output side.
     */
    int apply(int side, Workspace ws) {
        Hwc.Window down = Hwc.Window.same(side, side, 3, 2);
        int outSide = down.outH();
        Hwc.Window same = Hwc.Window.same(outSide, outSide, 3, 1);
        int n = outSide * outSide * cout;
        int next = 0;
        if (firstRows != null) {
            Hwc.conv(ws.x, cin, down, firstRows, cout, firstBias, ws.out1);
        } else {
            convs[next++].apply(ws.x, down, ws.depthwise, ws.out1);
        }
        Hwc.relu(ws.out1, n);
        convs[next++].apply(ws.out1, same, ws.depthwise, ws.out2);
        // in3 = relu(out1 + out2)
        System.arraycopy(ws.out2, 0, ws.sum, 0, n);
        Hwc.add(ws.sum, ws.out1, n);
        Hwc.relu(ws.sum, n);
        convs[next++].apply(ws.sum, same, ws.depthwise, ws.out3);
        float[] last = ws.out3;
        if (next < convs.length) {
            // denseBlock4: in4 = relu(out1 + (out2 + out3)); out4 = sep3(in4), written over in4
            System.arraycopy(ws.out3, 0, ws.sum, 0, n);
            Hwc.add(ws.sum, ws.out2, n);
            Hwc.add(ws.sum, ws.out1, n);
            Hwc.relu(ws.sum, n);
            convs[next].apply(ws.sum, same, ws.depthwise, ws.sum);
            Hwc.add(ws.sum, ws.out3, n); // out3 + out4
            last = ws.sum;
        }
        // y = relu(out1 + (out2 + last)), where last is out3 or (out3 + out4)
        Hwc.add(last, ws.out2, n);
        Hwc.add(last, ws.out1, n);
        Hwc.relu(last, n);
        ws.swapInput(last);
        return outSide;
    }

    private static Tensor require(Map<String, Tensor> w, String name, int rank) {
        Tensor t = w.get(name);
        if (t == null || t.shape().length != rank) {
            throw new IllegalStateException("weights lack a rank-" + rank + " " + name);
        }
        return t;
    }

    /** Scratch for one forward pass: the block input/output and the block's intermediate activations. */
    static final class Workspace {
        float[] x;
        float[] out1;
        float[] out2;
        float[] out3;
        float[] sum;
        final float[] depthwise;

        Workspace(int size) {
            x = new float[size];
            out1 = new float[size];
            out2 = new float[size];
            out3 = new float[size];
            sum = new float[size];
            depthwise = new float[size];
        }

        /** Makes {@code result} (one of out3 or sum) the next block's input; the old input becomes that buffer. */
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
