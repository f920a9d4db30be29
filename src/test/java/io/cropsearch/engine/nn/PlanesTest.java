package io.cropsearch.engine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Planes} computes what {@link Hwc} computes, value for value (== on floats, so only a zero's sign may
 * differ), on random activations and filters, including sizes that are not multiples of the 16-lane loop length
 * and both pointwise paths (per pixel below 128 pixels, pixel blocks above).
 */
class PlanesTest {

    @Test
    void denseValidConvolutionMatchesHwc() {
        Random r = new Random(11);
        for (int[] s : new int[][] {{3, 16, 21, 19}, {5, 7, 9, 40}}) {
            int cin = s[0];
            int cout = s[1];
            int h = s[2];
            int w = s[3];
            float[] x = random(r, h * w * cin);
            float[][] rows = Hwc.rows(random(r, 9 * cin * cout), 9 * cin, cout);
            float[] bias = random(r, cout);
            Hwc.Window g = Hwc.Window.valid(h, w, 3, 1);
            float[] want = new float[g.outH() * g.outW() * cout];
            Hwc.conv(x, cin, g, rows, cout, bias, want);
            Hwc.leaky(want, want.length);
            float[][] got = Planes.alloc(cout, g.outH() * g.outW());
            Planes.convValid(planar(x, h * w, cin), h, w, 3, rows, cout, bias, true, got);
            assertSame(want, got, "conv " + cin + "->" + cout + " " + h + "x" + w);
        }
    }

    @Test
    void depthwiseMatchesHwcWithSamePadding() {
        Random r = new Random(12);
        for (int[] s : new int[][] {{16, 13, 13}, {32, 4, 4}, {8, 1, 1}, {5, 17, 33}}) {
            int c = s[0];
            int h = s[1];
            int w = s[2];
            float[] x = random(r, h * w * c);
            float[][] taps = Hwc.rows(random(r, 9 * c), 9, c);
            float[] want = new float[h * w * c];
            Hwc.depthwise(x, c, Hwc.Window.same(h, w, 3, 1), taps, want);
            float[][] got = Planes.alloc(c, h * w);
            Planes.depthwise3x3(planar(x, h * w, c), h, w, taps, got);
            assertSame(want, got, "depthwise " + c + " " + h + "x" + w);
        }
    }

    @Test
    void pointwiseMatchesHwcOnBothPaths() {
        Random r = new Random(13);
        for (int[] s : new int[][] {{16, 32, 300}, {64, 25, 1100}, {256, 512, 16}, {512, 25, 169}, {7, 9, 127}}) {
            int cin = s[0];
            int cout = s[1];
            int pixels = s[2];
            float[] x = random(r, pixels * cin);
            float[][] rows = Hwc.rows(random(r, cin * cout), cin, cout);
            float[] bias = random(r, cout);
            for (boolean leaky : new boolean[] {false, true}) {
                float[] want = new float[pixels * cout];
                Hwc.pointwise(x, pixels, cin, rows, cout, bias, want);
                if (leaky) {
                    Hwc.leaky(want, want.length);
                }
                float[][] got = Planes.alloc(cout, pixels);
                Planes.pointwise(planar(x, pixels, cin), pixels, rows, cout, bias, leaky, got);
                assertSame(want, got, "pointwise " + cin + "->" + cout + " x" + pixels + (leaky ? " leaky" : ""));
            }
        }
    }

    @Test
    void maxPoolMatchesHwcForOddAndEvenSizes() {
        Random r = new Random(14);
        for (int[] s : new int[][] {{4, 7, 7, 2}, {3, 8, 6, 2}, {5, 13, 13, 1}, {2, 1, 1, 2}}) {
            int c = s[0];
            int h = s[1];
            int w = s[2];
            int stride = s[3];
            float[] x = random(r, h * w * c);
            Hwc.Window g = Hwc.Window.same(h, w, 2, stride);
            float[] want = new float[g.outH() * g.outW() * c];
            Hwc.maxPool(x, c, g, want);
            float[][] got = Planes.alloc(c, g.outH() * g.outW());
            Planes.maxPool2x2(planar(x, h * w, c), h, w, stride, got);
            assertSame(want, got, "maxPool " + h + "x" + w + "/" + stride);
        }
    }

    @Test
    void toHwcInterleavesChannels() {
        float[][] planes = {{1, 2, 3}, {4, 5, 6}};
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, Planes.toHwc(planes, 3));
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static float[][] planar(float[] hwc, int pixels, int c) {
        float[][] p = new float[c][pixels];
        for (int i = 0; i < pixels; i++) {
            for (int ch = 0; ch < c; ch++) {
                p[ch][i] = hwc[i * c + ch];
            }
        }
        return p;
    }

    private static void assertSame(float[] hwc, float[][] planes, String what) {
        int c = planes.length;
        assertEquals(hwc.length, c * planes[0].length, what + ": size");
        for (int i = 0; i < hwc.length; i++) {
            float got = planes[i % c][i / c];
            if (!(got == hwc[i])) {
                throw new AssertionError(what + ": value " + i + " is " + got + ", Hwc gives " + hwc[i]);
            }
        }
    }
}
