package io.cropsearch.engine.nn;

import java.util.Arrays;

/** A named weight tensor of the model file, values in row-major order of {@code shape}. */
public record Tensor(String name, int[] shape, float[] values) {

    public Tensor {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " but " + values.length + " values");
        }
    }

    public int dim(int i) {
        return shape[i];
    }
}
