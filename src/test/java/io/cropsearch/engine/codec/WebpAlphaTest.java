package io.cropsearch.engine.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cropsearch.engine.Fixtures;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Transparency is composited onto white, {@code (c * a + 255 * (255 - a) + 127) / 255} per channel, from the exact
 * decoded alpha (checked against dwebp in WebpLosslessTest / WebpLossyTest); and ImageDecoder dispatches WebP here.
 */
class WebpAlphaTest {

    @ParameterizedTest
    @ValueSource(strings = {"lossless-alpha", "lossy-alpha", "lossy-alpha-q50"})
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
