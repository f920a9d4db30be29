package io.cropsearch.engine.nn;

/**
 * One conv unit: conv2d + bias, then {@code * scale/weights + scale/biases}. {@code rows[(ky * k + kx) * cin + ci]}
 * holds the {@code cout} filter weights of one input tap (the HWIO file order, split into rows).
 */
public record ConvLayer(int k, int cin, int cout, float[][] rows, float[] bias, float[] scale, float[] shift) {

    public static ConvLayer of(int k, int cin, int cout, float[] hwio, float[] bias, float[] scale, float[] shift) {
        float[][] rows = new float[k * k * cin][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = java.util.Arrays.copyOfRange(hwio, r * cout, (r + 1) * cout);
        }
        return new ConvLayer(k, cin, cout, rows, bias, scale, shift);
    }
}
