package io.cropsearch.engine.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cropsearch.engine.Fixtures;

import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Transparency is composited onto white, {@code (c * a + 255 * (255 - a) + 127) / 255} per channel, from the exact
 * decoded alpha (checked against dwebp in WebpLosslessTest / WebpLossyTest); and ImageDecoder dispatches WebP here.
 */
class WebpAlphaTest {

    @ParameterizedTest
    @ValueSource(strings = {"lossless-alpha", "lossy-alpha", "lossy-alpha-q50", "lossy-alpha-raw"})
    void compositesOntoWhite(String name) {
        byte[] file = WebpFixtures.webp(name);
        WebpDecoder.Argb reference = WebpFixtures.reference(name);
        Rgb rgb = WebpDecoder.decode(file, 4096);
        assertEquals(reference.width(), rgb.width());
        int transparent = 0;
        int partial = 0;
        int opaque = 0;
        for (int i = 0; i < reference.pixels().length; i++) {
            int p = reference.pixels()[i];
            int a = p >>> 24;
            for (int c = 0; c < 3; c++) {
                int channel = (p >> (16 - 8 * c)) & 0xFF;
                int got = rgb.pixels()[i * 3 + c] & 0xFF;
                if (a == 0) {
                    assertEquals(255, got, "fully transparent is white");
                } else if (a == 255) {
                    assertEquals(channel, got, "opaque keeps its colour");
                } else {
                    assertEquals((channel * a + 255 * (255 - a) + 127) / 255, got);
                    // between the colour and white
                    assertTrue(got >= Math.min(channel, 255) && got <= 255);
                }
            }
            if (a == 0) {
                transparent++;
            } else if (a == 255) {
                opaque++;
            } else {
                partial++;
            }
        }
        // the fixture's round mask: transparent corners, an opaque centre, a ramp between
        assertTrue(transparent > 2000 && opaque > 3000 && partial > 1000,
                transparent + " transparent, " + partial + " partial, " + opaque + " opaque");
    }

    /**
     * The ALPH prediction filters, whichever cwebp happened to choose for the fixtures (gradient and none): a plane
     * filtered as RFC 9649 section 2.7.1.2 describes (prediction from the left, from above, or clip(L + T - TL);
     * the top-left pixel from 0, the rest of the first row from the left, the first column from above), stored
     * raw, decodes back to the plane.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void alphaFiltersAreUndone(int filter) {
        int width = 37;
        int height = 23;
        byte[] plane = new byte[width * height];
        for (int i = 0; i < plane.length; i++) {
            int x = i % width;
            int y = i / width;
            plane[i] = (byte) ((x * 7 + y * 13 + (x * y) % 11 * 20) & 0xFF);
        }
        byte[] chunk = new byte[1 + plane.length];
        chunk[0] = (byte) (filter << 2); // compression 0 (raw), no pre-processing
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                int left = x > 0 ? plane[i - 1] & 0xFF : -1;
                int top = y > 0 ? plane[i - width] & 0xFF : -1;
                int predictor;
                if (filter == 0) {
                    predictor = 0;
                } else if (x == 0 && y == 0) {
                    predictor = 0;
                } else if (y == 0) {
                    predictor = left;
                } else if (x == 0) {
                    predictor = top;
                } else if (filter == 1) {
                    predictor = left;
                } else if (filter == 2) {
                    predictor = top;
                } else {
                    predictor = Math.max(0, Math.min(255, left + top - (plane[i - width - 1] & 0xFF)));
                }
                chunk[1 + i] = (byte) ((plane[i] & 0xFF) - predictor);
            }
        }
        assertArrayEquals(plane, AlphaDecoder.decode(chunk, 0, chunk.length, width, height));
        if (filter > 0) {
            // the filtered bytes differ from the plane, so the filter really was undone
            assertTrue(!Arrays.equals(plane, Arrays.copyOfRange(chunk, 1, chunk.length)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lossless", "lossy-q75", "lossy-alpha"})
    void imageDecoderDispatchesWebp(String name) {
        byte[] file = WebpFixtures.webp(name);
        assertArrayEquals(WebpDecoder.decode(file, WebpDecoder.MAX_WEBP_SIDE).pixels(), ImageDecoder.decode(file).pixels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lossless", "lossless-z9"})
    void losslessOfAnOpaqueCropIsThePng(String name) {
        // cwebp -lossless keeps every pixel: the decode equals the PNG it was made from
        String png = name.equals("lossless") ? "crops/sample2-face2.png" : "crops/sample5-face1.png";
        Rgb expected = PngDecoder.decode(Fixtures.bytes(png));
        assertArrayEquals(expected.pixels(), WebpDecoder.decode(WebpFixtures.webp(name), 4096).pixels());
    }
}
