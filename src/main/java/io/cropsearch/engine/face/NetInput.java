package io.cropsearch.engine.face;

import io.cropsearch.engine.codec.Rgb;

/**
 * face-api.js 0.22.2's input for every net, one place: {@code NetInput.toBatchTensor(size, centred)} followed by
 * {@code normalize(x, meanRgb).div(divisor)}, written as one plane per channel (red, green, blue).
 *
 * <ul>
 *   <li>{@code padToSquare}: zeros, centred ({@code Math.round(diff / 2)} columns or rows after the image, the rest
 *   before it) for the recognition and landmark nets; all of them after the image (right or bottom) for the tiny
 *   face detector.</li>
 *   <li>tfjs-core 1.7's cpu {@code resizeBilinear} (alignCorners=false, no half-pixel centres: source coordinate
 *   {@code dst * side / size}, neighbours clamped to the last pixel), interpolation in double, stored as float32.
 *   When the square already has the target size tfjs skips the resize; the interpolation then has ratio 1 and zero
 *   fractions and returns the pixels unchanged, so no special case is needed.</li>
 *   <li>Each channel has the float32 mean subtracted and is divided by the divisor, in float32 as tfjs does.</li>
 * </ul>
 */
final class NetInput {

    private NetInput() {
    }

    /**
     * Writes three planes of {@code size * size} values to {@code out}.
     *
     * @param centred pad centred (recognition, landmarks) or after the image (tiny face detector)
     */
    static void toPlanes(Rgb img, int size, boolean centred, float[] mean, float divisor, float[][] out) {
        int w = img.width();
        int h = img.height();
        int side = Math.max(w, h);
        int diff = Math.abs(w - h);
        int before = centred ? diff - (int) Math.floor(diff * 0.5 + 0.5) : 0; // JS Math.round(diff * 0.5) goes after
        int offX = w < h ? before : 0;
        int offY = h < w ? before : 0;
        byte[] px = img.pixels();
        double ratio = (double) side / size;
        // the column terms do not depend on the row: computed once (the same values)
        int[] col0 = new int[size];
        int[] col1 = new int[size];
        double[] colFrac = new double[size];
        for (int c = 0; c < size; c++) {
            double fc = ratio * c;
            col0[c] = (int) Math.floor(fc) - offX;
            colFrac[c] = fc - Math.floor(fc);
            col1[c] = Math.min(side - 1, (int) Math.ceil(fc)) - offX;
        }
        int o = 0;
        for (int r = 0; r < size; r++) {
            double fr = ratio * r;
            int r0 = (int) Math.floor(fr);
            double rowFrac = fr - r0;
            int r1 = Math.min(side - 1, (int) Math.ceil(fr));
            r0 -= offY;
            r1 -= offY;
            for (int c = 0; c < size; c++) {
                for (int ch = 0; ch < 3; ch++) {
                    double tl = at(px, w, h, r0, col0[c], ch);
                    double tr = at(px, w, h, r0, col1[c], ch);
                    double bl = at(px, w, h, r1, col0[c], ch);
                    double br = at(px, w, h, r1, col1[c], ch);
                    double top = tl + (tr - tl) * colFrac[c];
                    double bottom = bl + (br - bl) * colFrac[c];
                    float v = (float) (top + (bottom - top) * rowFrac);
                    out[ch][o] = (v - mean[ch]) / divisor;
                }
                o++;
            }
        }
    }

    /** A pixel of the padded square, in the image's coordinates: zero outside. */
    private static int at(byte[] px, int w, int h, int y, int x, int ch) {
        if (y < 0 || x < 0 || y >= h || x >= w) {
            return 0;
        }
        return px[(y * w + x) * 3 + ch] & 0xFF;
    }
}
