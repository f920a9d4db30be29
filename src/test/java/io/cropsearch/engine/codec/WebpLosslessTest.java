package io.cropsearch.engine.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** VP8L files decode to exactly libwebp's pixels (dwebp -pam), alpha included. */
class WebpLosslessTest {

    @ParameterizedTest
    @ValueSource(strings = {"lossless", "lossless-z9", "lossless-120x97", "lossless-alpha", "lossless-four-colours"})
    void decodesExactlyAsLibwebp(String name) {
        WebpDecoder.Argb expected = WebpFixtures.reference(name);
        WebpDecoder.Argb actual = WebpDecoder.decodeArgb(WebpFixtures.webp(name), WebpDecoder.MAX_WEBP_SIDE);
        assertEquals(expected.width(), actual.width());
        assertEquals(expected.height(), actual.height());
        int[] e = expected.pixels();
        int[] a = actual.pixels();
        for (int i = 0; i < e.length; i++) {
            if (e[i] != a[i]) {
                throw new AssertionError(name + ": pixel " + (i % expected.width()) + "," + (i / expected.width())
                        + " is " + Integer.toHexString(a[i]) + ", libwebp " + Integer.toHexString(e[i]));
            }
        }
    }
}
