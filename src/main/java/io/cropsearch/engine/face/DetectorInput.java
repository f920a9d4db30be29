package io.cropsearch.engine.face;

import io.cropsearch.engine.codec.Rgb;

/**
 * face-api.js 0.22.2's input pipeline for the tiny face detector ({@code TinyYolov2Base.forwardInput}):
 * {@code NetInput.toBatchTensor(inputSize, false)} pads the image to a square with zeros <em>after</em> it (right or
 * bottom, not centred: {@code padToSquare(img, false)} appends the whole difference), resizes it with tfjs-core 1.7's
 * cpu {@code resizeBilinear} (alignCorners=false, no half-pixel centres) unless it already has the input size, then
 * {@code normalize} subtracts the RGB mean in float32 and the result is divided by 256.
 */
final class DetectorInput {

    /** {@code MEAN_RGB} of face-api.js's tinyFaceDetector/const, as the float32 tensor it fills. */
    private static final float[] MEAN = {117.001f, 114.697f, 97.404f};
    private static final float DIVISOR = 256f;

    private DetectorInput() {
    }

    /** The network input as three planes (red, green, blue) of {@code inputSize x inputSize}. */
    static float[][] of(Rgb img, int inputSize) {
        int w = img.width();
        int h = img.height();
        int side = Math.max(w, h);
        byte[] px = img.pixels();
        int n = inputSize;
        float[][] out = new float[3][n * n];
        if (side == n) {
            // toBatchTensor skips the resize when the padded square already has the input size
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    for (int c = 0; c < 3; c++) {
                        out[c][y * n + x] = normalise(at(px, w, h, y, x, c), c);
                    }
                }
            }
            return out;
        }
        // resizeBilinear of the padded square: coordinates and interpolation in double, result stored as float32
        double ratio = (double) side / n;
        int[] col0 = new int[n];
        int[] col1 = new int[n];
        double[] colFracs = new double[n];
        for (int c = 0; c < n; c++) {
            double fc = ratio * c;
            col0[c] = (int) Math.floor(fc);
            colFracs[c] = fc - col0[c];
            col1[c] = Math.min(side - 1, (int) Math.ceil(fc));
        }
        for (int r = 0; r < n; r++) {
            double fr = ratio * r;
            int r0 = (int) Math.floor(fr);
            double rowFrac = fr - r0;
            int r1 = Math.min(side - 1, (int) Math.ceil(fr));
            for (int c = 0; c < n; c++) {
                int c0 = col0[c];
                int c1 = col1[c];
                double colFrac = colFracs[c];
                for (int ch = 0; ch < 3; ch++) {
                    double tl = at(px, w, h, r0, c0, ch);
                    double tr = at(px, w, h, r0, c1, ch);
                    double bl = at(px, w, h, r1, c0, ch);
                    double br = at(px, w, h, r1, c1, ch);
                    double top = tl + (tr - tl) * colFrac;
                    double bottom = bl + (br - bl) * colFrac;
                    out[ch][r * n + c] = normalise((float) (top + (bottom - top) * rowFrac), ch);
                }
            }
        }
        return out;
    }

    private static float normalise(float v, int ch) {
        return (v - MEAN[ch]) / DIVISOR;
    }

    /** A pixel of the padded square: the image at the top left, zeros to its right and below it. */
    private static int at(byte[] px, int w, int h, int y, int x, int ch) {
        if (y >= h || x >= w) {
            return 0;
        }
        return px[(y * w + x) * 3 + ch] & 0xFF;
    }
}
