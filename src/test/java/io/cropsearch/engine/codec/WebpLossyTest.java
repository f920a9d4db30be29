package io.cropsearch.engine.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * VP8 (lossy) files against libwebp's decode (dwebp, fancy upsampling): every channel of every pixel within
 * {@link #MAX_ERROR} levels, mean absolute error at most {@link #MAX_MEAN}.
 */
class WebpLossyTest {

    static final int MAX_ERROR = 3;
    static final double MAX_MEAN = 0.5;

    @ParameterizedTest
    @ValueSource(strings = {"lossy-q75", "lossy-q90", "lossy-q80-95x120", "lossy-q80-120x97", "lossy-jpeg-q60", "lossy-sharpyuv-seg4",
        "lossy-simple-filter", "lossy-photo-240x160", "lossy-8-partitions", "lossy-libvpx", "lossy-q10", "lossy-flat-160x128", "lossy-alpha", "lossy-alpha-q50", "lossy-alpha-raw"})
    void closeToLibwebp(String name) {
        WebpDecoder.Argb expected = WebpFixtures.reference(name);
        WebpDecoder.Argb actual = WebpDecoder.decodeArgb(WebpFixtures.webp(name), WebpDecoder.MAX_WEBP_SIDE);
        assertEquals(expected.width(), actual.width());
        assertEquals(expected.height(), actual.height());
        int[] e = expected.pixels();
        int[] a = actual.pixels();
        int max = 0;
        long sum = 0;
        for (int i = 0; i < e.length; i++) {
            // alpha is lossless in these files (ALPH chunk): it must match exactly
            assertEquals(e[i] >>> 24, a[i] >>> 24, name + ": alpha of pixel " + i);
            for (int shift = 0; shift < 24; shift += 8) {
                int d = Math.abs(((e[i] >> shift) & 0xFF) - ((a[i] >> shift) & 0xFF));
                max = Math.max(max, d);
                sum += d;
            }
        }
        double mean = sum / (3.0 * e.length);
        System.out.printf("%s: max %d, mean %.4f%n", name, max, mean);
        assertTrue(max <= MAX_ERROR, name + ": max error " + max);
        assertTrue(mean <= MAX_MEAN, name + ": mean error " + mean);
    }
}
