package io.cropsearch.engine.face;

import io.cropsearch.engine.codec.Rgb;


/**
 * face-api.js's input pipeline for the recognition net: pad to a centred square with zeros, bilinear resize to
 * 150x150 (tfjs 1.7 cpu {@code resizeBilinear}, alignCorners=false, no half-pixel centres), subtract the RGB mean,
 * divide. Arithmetic mirrors the JavaScript: coordinates and interpolation in double, stored as float.
 */
final class Preprocess {

    private Preprocess() {
    }

    /** Writes the network input as three planes of 150 x 150. */
    static void toInput(Rgb img, float[][] out, float[] mean, float divisor) {
        int w = img.width();
        int h = img.height();
        int side = Math.max(w, h);
        int diff = Math.abs(w - h);
        // padToSquare appends Math.round(diff / 2) after the image and puts the remainder before it
        int before = diff - (int) Math.floor(diff * 0.5 + 0.5);
        int offX = w < h ? before : 0;
        int offY = h < w ? before : 0;
        byte[] px = img.pixels();
        int n = FaceRecognitionNet.INPUT_SIZE;
        double ratio = (double) side / n;
        // the column terms do not depend on the row: computed once (same values, so the same result)
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
                    double tl = at(px, w, h, r0 - offY, c0 - offX, ch);
                    double tr = at(px, w, h, r0 - offY, c1 - offX, ch);
                    double bl = at(px, w, h, r1 - offY, c0 - offX, ch);
                    double br = at(px, w, h, r1 - offY, c1 - offX, ch);
                    double top = tl + (tr - tl) * colFrac;
                    double bottom = bl + (br - bl) * colFrac;
                    float v = (float) (top + (bottom - top) * rowFrac);
                    out[ch][r * n + c] = (v - mean[ch]) / divisor;
                }
            }
        }
    }

    private static int at(byte[] px, int w, int h, int y, int x, int ch) {
        if (y < 0 || x < 0 || y >= h || x >= w) {
            return 0;
        }
        return px[(y * w + x) * 3 + ch] & 0xFF;
    }
}
