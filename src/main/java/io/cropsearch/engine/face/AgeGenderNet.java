package io.cropsearch.engine.face;

import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.nn.FullyConnected;
import io.cropsearch.engine.nn.Hwc;
import io.cropsearch.engine.nn.ModelWeights;
import io.cropsearch.engine.nn.Tensor;

import java.util.Arrays;
import java.util.Map;

/**
 * face-api.js 0.22.2's {@code AgeGenderNet}: a {@code TinyXception} with two main blocks as feature extractor, a 7x7
 * average pool, then an fc layer to the age (a regression, years) and an fc layer to two gender logits followed by
 * a softmax (index 0 male, 1 female). Weights {@code age_gender_model} of @vladmandic/face-api 1.7.15 (the values
 * face-api.js ships), 429,708 bytes, uint8-quantised.
 *
 * <p>TinyXception ({@code xception/TinyXception.forwardInput}): input as for the landmark nets but divided by
 * <b>256</b> ({@code NetInput.toBatchTensor(112, true)}, {@code (rgb - [122.782, 117.001, 104.298]) / 256});
 * {@code relu(conv 3x3/2 3 -> 32)}; reduction blocks to 64 (input not activated) and 128 channels; two main blocks
 * (three {@code relu} + separable convolutions, plus the block's input); a reduction block to 256 channels; then
 * {@code relu(separable 256 -> 512)} at 7x7. A reduction block is {@code maxPool3x3/2(sep1(relu(sep0(act(x))))) +
 * conv1x1/2(x) + bias}. All convolutions 'same', separable ones are depthwise 3x3 + pointwise 1x1 + bias.
 *
 * <p>Everything runs on {@link Hwc} with tfjs-core 1.7 cpu arithmetic (taps in tfjs's order, fused multiply-adds),
 * about 85 M multiply-adds a face. Immutable after {@link #load()}; each call allocates its own activations
 * (at most about 1.6 MB).
 */
public final class AgeGenderNet {

    static final int INPUT_SIZE = 112;
    private static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};
    private static final float INPUT_DIVISOR = 256f; // TinyXception.forwardInput: .div(tf.scalar(256))
    static final int FEATURES = 512;

    /** Depthwise 3x3 + pointwise 1x1 + bias ({@code common/depthwiseSeparableConv}, stride 1, 'same'). */
    private record Separable(int cin, int cout, float[][] taps, float[][] rows, float[] bias) {

        float[] apply(float[] in, int side) {
            float[] d = new float[side * side * cin];
            Hwc.depthwise(in, cin, Hwc.Window.same(side, side, 3, 1), taps, d);
            float[] out = new float[side * side * cout];
            Hwc.pointwise(d, side * side, cin, rows, cout, bias, out);
            return out;
        }
    }

    /** {@code reductionBlock}: two separable convs, a 3x3/2 max pool, plus the 1x1/2 expansion conv of the input. */
    private record Reduction(boolean activateInput, Separable sep0, Separable sep1, int cin, int cout,
                             float[][] expansion, float[] expansionBias) {

        float[] apply(float[] x, int side) {
            float[] in = x;
            if (activateInput) {
                in = x.clone();
                Hwc.relu(in, in.length);
            }
            float[] out = sep0.apply(in, side);
            Hwc.relu(out, out.length);
            out = sep1.apply(out, side);
            Hwc.Window pool = Hwc.Window.same(side, side, 3, 2);
            float[] pooled = new float[pool.outH() * pool.outW() * cout];
            Hwc.maxPool(out, cout, pool, pooled);
            float[] expanded = new float[pooled.length];
            Hwc.conv(x, cin, Hwc.Window.same(side, side, 1, 2), expansion, cout, expansionBias, expanded);
            Hwc.add(pooled, expanded, pooled.length);
            return pooled;
        }
    }

    private final float[][] convIn;
    private final float[] convInBias;
    private final Reduction[] entry;
    private final Separable[][] middle;
    private final Reduction exit;
    private final Separable exitSeparable;
    private final FullyConnected age;
    private final FullyConnected gender;

    private AgeGenderNet(Map<String, Tensor> w) {
        convIn = Hwc.rows(values(w, "entry_flow/conv_in/filters", 3, 3, 3, 32), 27, 32);
        convInBias = values(w, "entry_flow/conv_in/bias", 32);
        entry = new Reduction[] {
            reduction(w, "entry_flow/reduction_block_0", false, 32, 64),
            reduction(w, "entry_flow/reduction_block_1", true, 64, 128),
        };
        middle = new Separable[2][3];
        for (int b = 0; b < 2; b++) {
            for (int s = 0; s < 3; s++) {
                middle[b][s] = separable(w, "middle_flow/main_block_" + b + "/separable_conv" + s, 128, 128);
            }
        }
        exit = reduction(w, "exit_flow/reduction_block", true, 128, 256);
        exitSeparable = separable(w, "exit_flow/separable_conv", 256, FEATURES);
        age = fc(w, "fc/age", 1);
        gender = fc(w, "fc/gender", 2);
    }

    /** Reads the bundled weights (about 430 KB). */
    public static AgeGenderNet load() {
        return new AgeGenderNet(ModelWeights.loadBundled("age_gender_model"));
    }

    /**
     * Age and gender of the face that fills {@code face} (a cut of the detected box), as face-api.js's
     * {@code ageGenderNet.predictAgeAndGender(face)}.
     */
    public Attributes predict(Rgb face) {
        float[] features = features(face);
        float[] a = new float[1];
        age.apply(features, a);
        float[] logits = new float[2];
        gender.apply(features, logits);
        float male = softmax(logits)[0];
        boolean isMale = male > 0.5f;
        return new Attributes(a[0], isMale ? "M" : "F", isMale ? male : 1 - (double) male);
    }

    /** The 512 pooled bottleneck features (for the reference test). */
    float[] features(Rgb face) {
        float[][] planes = new float[3][INPUT_SIZE * INPUT_SIZE];
        NetInput.toPlanes(face, INPUT_SIZE, true, MEAN_RGB, INPUT_DIVISOR, planes);
        float[] x = io.cropsearch.engine.nn.Planes.toHwc(planes, INPUT_SIZE * INPUT_SIZE);
        Hwc.Window g = Hwc.Window.same(INPUT_SIZE, INPUT_SIZE, 3, 2);
        int side = g.outH();
        float[] out = new float[side * side * 32];
        Hwc.conv(x, 3, g, convIn, 32, convInBias, out);
        Hwc.relu(out, out.length);
        for (Reduction r : entry) {
            out = r.apply(out, side);
            side = (side + 1) / 2;
        }
        for (Separable[] block : middle) {
            float[] y = out.clone();
            for (Separable s : block) {
                Hwc.relu(y, y.length);
                y = s.apply(y, side);
            }
            Hwc.add(y, out, y.length);
            out = y;
        }
        out = exit.apply(out, side);
        side = (side + 1) / 2;
        out = exitSeparable.apply(out, side);
        Hwc.relu(out, out.length);
        // tf.avgPool(x, [7, 7], [2, 2], 'valid'): the 7x7 map is averaged to one value per channel
        Hwc.Window pool = Hwc.Window.valid(side, side, 7, 2);
        float[] pooled = new float[pool.outH() * pool.outW() * FEATURES];
        Hwc.avgPool(out, FEATURES, pool, pooled);
        return pooled;
    }

    /** The raw outputs: age, then the two gender logits (for the reference test). */
    float[] raw(Rgb face) {
        float[] features = features(face);
        float[] a = new float[1];
        age.apply(features, a);
        float[] logits = new float[2];
        gender.apply(features, logits);
        return new float[] {a[0], logits[0], logits[1]};
    }

    /**
     * tfjs-core 1.7's {@code softmax}: {@code exp(logits - logSumExp(logits))} with logSumExp as {@code max + log(sum(
     * exp(x - max)))}, every step rounded to float32 as the tensors are (the sum in double, as the cpu backend adds).
     */
    static float[] softmax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += (float) Math.exp((float) (v - max));
        }
        float lse = max + (float) Math.log((float) sum);
        float[] out = new float[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.exp((float) (logits[i] - lse));
        }
        return out;
    }

    private static Reduction reduction(Map<String, Tensor> w, String p, boolean activate, int cin, int cout) {
        return new Reduction(activate, separable(w, p + "/separable_conv0", cin, cout),
                separable(w, p + "/separable_conv1", cout, cout), cin, cout,
                Hwc.rows(values(w, p + "/expansion_conv/filters", 1, 1, cin, cout), cin, cout),
                values(w, p + "/expansion_conv/bias", cout));
    }

    private static Separable separable(Map<String, Tensor> w, String p, int cin, int cout) {
        return new Separable(cin, cout, Hwc.rows(values(w, p + "/depthwise_filter", 3, 3, cin, 1), 9, cin),
                Hwc.rows(values(w, p + "/pointwise_filter", 1, 1, cin, cout), cin, cout), values(w, p + "/bias", cout));
    }

    private static FullyConnected fc(Map<String, Tensor> w, String p, int out) {
        values(w, p + "/weights", FEATURES, out);
        values(w, p + "/bias", out);
        return FullyConnected.load(w, p);
    }

    private static float[] values(Map<String, Tensor> weights, String name, int... shape) {
        Tensor t = weights.get(name);
        if (t == null) {
            throw new IllegalStateException("age_gender_model has no tensor " + name);
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalStateException(name + ": shape " + Arrays.toString(t.shape()) + ", expected "
                    + Arrays.toString(shape));
        }
        return t.values();
    }
}
