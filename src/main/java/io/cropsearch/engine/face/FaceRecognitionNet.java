package io.cropsearch.engine.face;

import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.nn.Conv;
import io.cropsearch.engine.nn.ConvLayer;
import io.cropsearch.engine.nn.Planar;
import io.cropsearch.engine.nn.Tensor;

import java.util.Map;

/**
 * face-api.js {@code FaceRecognitionNet} (a dlib metric-learning ResNet-29) in plain Java.
 *
 * <p>The stem and the 32- and 64-channel stages run on planar, zero-bordered activations ({@link Planar}); the 128-
 * and 256-channel stages on HWC arrays ({@link Conv}). Filters keep the file's HWIO order, split into one array per
 * input tap. Every path accumulates taps in (ky, kx, ci) order with fused multiply-adds, which is also what
 * face-api.js's cpu backend computes ({@code y += x * w} in double, stored as float32), so the results track the
 * reference to about 1e-7, not just within tolerance.
 *
 * <p>Immutable after construction; all scratch memory lives in a per-call {@link Workspace}.
 */
final class FaceRecognitionNet {

    static final int INPUT_SIZE = 150;
    static final int DESCRIPTOR_SIZE = 128;
    // face-api.js 0.22.2 (and dlib) divide by 256; @vladmandic/face-api divides by 255.
    private static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};
    private static final float INPUT_DIVISOR = 256f;

    private final ConvLayer conv32Down;
    private final Residual[] stage32;
    private final Residual down64;
    private final Residual[] stage64;
    private final Residual down128;
    private final Residual[] stage128;
    private final Residual down256;
    private final Residual[] stage256;
    private final Residual down256Out;
    private final float[] fc; // [256][128]

    record Residual(ConvLayer conv1, ConvLayer conv2) {
    }

    FaceRecognitionNet(Map<String, Tensor> w) {
        conv32Down = layer(w, "conv32_down");
        stage32 = new Residual[] {residual(w, "conv32_1"), residual(w, "conv32_2"), residual(w, "conv32_3")};
        down64 = residual(w, "conv64_down");
        stage64 = new Residual[] {residual(w, "conv64_1"), residual(w, "conv64_2"), residual(w, "conv64_3")};
        down128 = residual(w, "conv128_down");
        stage128 = new Residual[] {residual(w, "conv128_1"), residual(w, "conv128_2")};
        down256 = residual(w, "conv256_down");
        stage256 = new Residual[] {residual(w, "conv256_1"), residual(w, "conv256_2")};
        down256Out = residual(w, "conv256_down_out");
        Tensor fcT = w.get("fc");
        if (fcT == null || fcT.dim(0) != 256 || fcT.dim(1) != DESCRIPTOR_SIZE) {
            throw new IllegalStateException("fc must be [256, 128]");
        }
        fc = fcT.values();
    }

    private static Residual residual(Map<String, Tensor> w, String prefix) {
        return new Residual(layer(w, prefix + "/conv1"), layer(w, prefix + "/conv2"));
    }

    private static ConvLayer layer(Map<String, Tensor> w, String prefix) {
        Tensor f = require(w, prefix + "/conv/filters");
        int k = f.dim(0);
        int cin = f.dim(2);
        int cout = f.dim(3);
        if (f.shape().length != 4 || f.dim(1) != k) {
            throw new IllegalStateException(prefix + ": expected square HWIO filters");
        }
        return ConvLayer.of(k, cin, cout, f.values(),
                vector(w, prefix + "/conv/bias", cout), vector(w, prefix + "/scale/weights", cout),
                vector(w, prefix + "/scale/biases", cout));
    }

    private static float[] vector(Map<String, Tensor> w, String name, int n) {
        Tensor t = require(w, name);
        if (t.values().length != n) {
            throw new IllegalStateException(name + ": expected " + n + " values");
        }
        return t.values();
    }

    private static Tensor require(Map<String, Tensor> w, String name) {
        Tensor t = w.get(name);
        if (t == null) {
            throw new IllegalStateException("weights lack " + name);
        }
        return t;
    }

    /** Scratch buffers for one forward pass; reused across calls, one pass at a time. */
    static final class Workspace {
        // planar part: input planes, stem output, and four sets of zero-bordered planes (35 + 2 squared at most)
        final float[][] input = new float[3][INPUT_SIZE * INPUT_SIZE];
        final float[][] stem = new float[32][72 * 72];
        final float[][][] planes = new float[4][64][37 * 37];
        final Planar.Scratch planar = new Planar.Scratch();
        // HWC part, from 17 x 17 x 64 on
        private static final int MAX = 17 * 17 * 64;
        final float[] a = new float[MAX];
        final float[] b = new float[MAX];
        final float[] c = new float[MAX];
        final float[] d = new float[MAX];
        final Conv.Scratch scratch = new Conv.Scratch();
    }

    /** The 128-d descriptor of an image (any size; padded to a centred square and resized like face-api.js). */
    float[] forward(Rgb image, Workspace ws) {
        NetInput.toPlanes(image, INPUT_SIZE, true, MEAN_RGB, INPUT_DIVISOR, ws.input);

        // stem: 150x150x3 -> 7x7/2 conv -> 72x72x32 -> 3x3/2 max pool -> 35x35x32
        Planar.Geo g150 = new Planar.Geo(INPUT_SIZE, INPUT_SIZE, 0);
        Planar.Geo g72 = new Planar.Geo(72, 72, 0);
        Planar.Geo g35 = new Planar.Geo(35, 35, 1);
        Planar.Geo g17 = new Planar.Geo(17, 17, 1);
        Planar.convValid(ws.input, g150, conv32Down, 2, ws.stem, g72, ws.planar);
        float[][] px = ws.planes[0];
        float[][] pt = ws.planes[1];
        float[][] py = ws.planes[2];
        float[][] pu = ws.planes[3];
        Planar.maxPool3s2(ws.stem, g72, 32, px, g35);

        for (Residual r : stage32) {
            Planar.convSame3(px, g35, r.conv1(), pt, Conv.RELU, null, ws.planar);
            Planar.convSame3(pt, g35, r.conv2(), py, Conv.ADD_RELU, px, ws.planar);
            float[][] swap = px; px = py; py = swap;
        }
        // residualDown to 17x17x64 (35 -> 17 on both branches, so no edge padding)
        Planar.convValid(px, g35, down64.conv1(), 2, pt, g17, ws.planar);
        Planar.convSame3(pt, g17, down64.conv2(), pu, Conv.NONE, null, ws.planar);
        Planar.addPooledShortcut(px, g35, 32, pu, g17, 64, py);
        { float[][] swap = px; px = py; py = swap; }
        for (Residual r : stage64) {
            Planar.convSame3(px, g17, r.conv1(), pt, Conv.RELU, null, ws.planar);
            Planar.convSame3(pt, g17, r.conv2(), py, Conv.ADD_RELU, px, ws.planar);
            float[][] swap = px; px = py; py = swap;
        }

        // wide stages in HWC, where filter rows of 128 and 256 channels vectorise well
        float[] x = ws.a;
        float[] y = ws.b;
        float[] t = ws.c;
        float[] u = ws.d;
        Planar.toHwc(px, g17, 64, x);
        int s = 17;
        s = residualDown(x, s, down128, t, u, y, ws.scratch);
        { float[] swap = x; x = y; y = swap; }
        for (Residual r : stage128) {
            residual(x, s, r, t, y, ws.scratch);
            float[] swap = x; x = y; y = swap;
        }
        s = residualDown(x, s, down256, t, u, y, ws.scratch);
        { float[] swap = x; x = y; y = swap; }
        for (Residual r : stage256) {
            residual(x, s, r, t, y, ws.scratch);
            float[] swap = x; x = y; y = swap;
        }
        s = residualDown(x, s, down256Out, t, u, y, ws.scratch);
        { float[] swap = x; x = y; y = swap; }

        return head(x, s, 256);
    }

    /** relu(convNoRelu(conv(x)) + x); x and out are s x s x c. */
    private static void residual(float[] x, int s, Residual r, float[] tmp, float[] out, Conv.Scratch sc) {
        Conv.conv(x, s, s, r.conv1(), 1, true, tmp, Conv.RELU, null, sc);
        Conv.conv(tmp, s, s, r.conv2(), 1, true, out, Conv.ADD_RELU, x, sc);
    }

    /**
     * relu(main + shortcut) with main = convNoRelu(convDown(x)) and shortcut = avgPool2x2(x) widened with zero channels;
     * when the strided main branch comes out one smaller, it is padded with a zero row (bottom) and column (right).
     *
     * @return the output size
     */
    private static int residualDown(float[] x, int s, Residual r, float[] tmp, float[] main, float[] out,
                                    Conv.Scratch sc) {
        int cin = r.conv1().cin();
        int cout = r.conv2().cout();
        Conv.conv(x, s, s, r.conv1(), 2, false, tmp, Conv.RELU, null, sc);
        int m = Conv.outSize(s, r.conv1().k(), 2, false);
        Conv.conv(tmp, m, m, r.conv2(), 1, true, main, Conv.NONE, null, sc);
        int p = s / 2;
        for (int oy = 0; oy < p; oy++) {
            for (int ox = 0; ox < p; ox++) {
                int o = (oy * p + ox) * cout;
                int i00 = ((2 * oy) * s + 2 * ox) * cin;
                int i01 = i00 + cin;
                int i10 = i00 + s * cin;
                int i11 = i10 + cin;
                boolean inMain = oy < m && ox < m;
                int mo = (oy * m + ox) * cout;
                for (int c = 0; c < cout; c++) {
                    float pooled = 0f;
                    if (c < cin) {
                        // tfjs sums the window in double, in row order, then divides once
                        double sum = x[i00 + c];
                        sum += x[i01 + c];
                        sum += x[i10 + c];
                        sum += x[i11 + c];
                        pooled = (float) (sum / 4);
                    }
                    float v = inMain ? pooled + main[mo + c] : pooled;
                    out[o + c] = Math.max(v, 0f); // branch-free ReLU, as in Conv
                }
            }
        }
        return p;
    }

    /** Mean over H and W, then the fully connected layer. */
    private float[] head(float[] x, int s, int c) {
        // tfjs's mean divides every element by the count first, then sums (in double, per output).
        float n = s * s;
        float[] avg = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < s * s; i++) {
                sum += x[i * c + ch] / n;
            }
            avg[ch] = (float) sum;
        }
        double[] acc = new double[DESCRIPTOR_SIZE];
        for (int i = 0; i < c; i++) {
            double a = avg[i];
            int row = i * DESCRIPTOR_SIZE;
            for (int j = 0; j < DESCRIPTOR_SIZE; j++) {
                acc[j] += a * fc[row + j];
            }
        }
        float[] out = new float[DESCRIPTOR_SIZE];
        for (int j = 0; j < DESCRIPTOR_SIZE; j++) {
            out[j] = (float) acc[j];
        }
        return out;
    }
}
