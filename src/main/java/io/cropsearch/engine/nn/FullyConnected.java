package io.cropsearch.engine.nn;

import java.util.Map;

/**
 * A fully connected layer ({@code matMul(x, weights) + bias}) with the arithmetic of tfjs-core 1.7's cpu
 * {@code batchMatMul}: the shared dimension is cut into blocks of 48; each block's dot product is summed in double
 * (products of two float32 values are exact in double) and added to the float32 result, which rounds once per block.
 * The bias is then added in float32, as {@code tf.add} does. Immutable.
 */
public final class FullyConnected {

    /** tfjs-core 1.7 {@code MathBackendCPU.blockSize}. */
    private static final int BLOCK = 48;

    private final int in;
    private final int out;
    private final float[][] columns; // columns[j][k] = weights[k][j]: the dot product of output j reads one array
    private final float[] bias;

    public FullyConnected(float[] weights, int in, int out, float[] bias) {
        if (weights.length != in * out || bias.length != out) {
            throw new IllegalArgumentException("fc weights " + weights.length + " / bias " + bias.length
                    + " do not fit " + in + " x " + out);
        }
        this.in = in;
        this.out = out;
        this.columns = new float[out][in];
        for (int k = 0; k < in; k++) {
            for (int j = 0; j < out; j++) {
                columns[j][k] = weights[k * out + j];
            }
        }
        this.bias = bias.clone();
    }

    /** From {@code prefix/weights} [in, out] and {@code prefix/bias} [out] of a weights map. */
    public static FullyConnected load(Map<String, Tensor> w, String prefix) {
        Tensor weights = w.get(prefix + "/weights");
        Tensor bias = w.get(prefix + "/bias");
        if (weights == null || bias == null || weights.shape().length != 2) {
            throw new IllegalStateException("weights lack a 2-d " + prefix + "/weights and its " + prefix + "/bias");
        }
        return new FullyConnected(weights.values(), weights.dim(0), weights.dim(1), bias.values());
    }

    public int inputs() {
        return in;
    }

    public int outputs() {
        return out;
    }

    /** Writes the {@link #outputs()} values for the {@link #inputs()} values of {@code x}. */
    public void apply(float[] x, float[] y) {
        for (int j = 0; j < out; j++) {
            float[] w = columns[j];
            float acc = 0f;
            for (int k0 = 0; k0 < in; k0 += BLOCK) {
                int k1 = Math.min(k0 + BLOCK, in);
                double sum = 0;
                for (int k = k0; k < k1; k++) {
                    sum += (double) x[k] * w[k];
                }
                acc = (float) (acc + sum);
            }
            y[j] = acc + bias[j];
        }
    }
}
