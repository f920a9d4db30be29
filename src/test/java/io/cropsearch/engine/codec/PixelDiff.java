package io.cropsearch.engine.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Level differences between a decode and its reference decode, printed so the measured numbers can be quoted. */
final class PixelDiff {

    /**
     * Float IDCT here, integer IDCT in jpeg-js: a level or two apart, more only where a rounding flips a clamp
     * (the same tolerance as JpegDecoderTest).
     */
    static final int JPEG_MAX_LEVELS = 4;
    static final double JPEG_MAX_MEAN = 0.6;

    private PixelDiff() {
    }

    /** Asserts the sizes match and returns {max, mean} of |want - got| over all channels. */
    static double[] measure(String what, Rgb want, Rgb got) {
        assertEquals(want.width(), got.width(), what + ": width");
        assertEquals(want.height(), got.height(), what + ": height");
        byte[] a = want.pixels();
        byte[] b = got.pixels();
        int max = 0;
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            int d = Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
            max = Math.max(max, d);
            sum += d;
        }
        double mean = (double) sum / a.length;
        System.out.printf("%s vs reference: max %d levels, mean %.3f%n", what, max, mean);
        return new double[] {max, mean};
    }

    static void assertJpegClose(String what, Rgb want, Rgb got) {
        double[] d = measure(what, want, got);
        assertTrue(d[0] <= JPEG_MAX_LEVELS, what + ": max difference " + d[0] + " levels");
        assertTrue(d[1] <= JPEG_MAX_MEAN, what + ": mean difference " + d[1]);
    }

    /** Every 'step'-th pixel from (x0, y0): the layout of the grid references of large photos. */
    static Rgb grid(Rgb full, int x0, int y0, int step) {
        int gw = (full.width() - x0 + step - 1) / step;
        int gh = (full.height() - y0 + step - 1) / step;
        byte[] out = new byte[gw * gh * 3];
        for (int j = 0; j < gh; j++) {
            for (int i = 0; i < gw; i++) {
                for (int c = 0; c < 3; c++) {
                    out[(j * gw + i) * 3 + c] = (byte) full.get(x0 + step * i, y0 + step * j, c);
                }
            }
        }
        return new Rgb(gw, gh, out);
    }
}
