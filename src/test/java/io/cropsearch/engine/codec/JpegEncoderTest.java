package io.cropsearch.engine.codec;

import io.cropsearch.engine.face.FaceEmbedder;

import io.cropsearch.engine.Fixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JpegEncoderTest {

    private final Rgb crop = Fixtures.crop("sample1-face3-tall-odd.png"); // 95x120: partial blocks and MCUs

    private static double meanAbs(Rgb a, Rgb b) {
        long sum = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            sum += Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF));
        }
        return (double) sum / a.pixels().length;
    }

    @Test
    void colourRoundTripsStayCloseToTheOriginal() {
        for (JpegEncoder.Chroma c : new JpegEncoder.Chroma[] {JpegEncoder.Chroma.YCBCR_444, JpegEncoder.Chroma.YCBCR_420}) {
            Rgb back = JpegDecoder.decode(JpegEncoder.encode(crop, 90, c));
            assertEquals(crop.width(), back.width());
            assertEquals(crop.height(), back.height());
            double err = meanAbs(crop, back);
            assertTrue(err < 3.0, c + ": mean abs error " + err);
        }
    }

    @Test
    void greyscaleKeepsTheLuma() {
        Rgb back = JpegDecoder.decode(JpegEncoder.encode(crop, 90, JpegEncoder.Chroma.GREY));
        long sum = 0;
        for (int y = 0; y < crop.height(); y++) {
            for (int x = 0; x < crop.width(); x++) {
                double luma = 0.299 * crop.get(x, y, 0) + 0.587 * crop.get(x, y, 1) + 0.114 * crop.get(x, y, 2);
                assertEquals(back.get(x, y, 0), back.get(x, y, 2));
                sum += Math.round(Math.abs(luma - back.get(x, y, 0)));
            }
        }
        double err = (double) sum / (crop.width() * crop.height());
        assertTrue(err < 2.0, "mean abs luma error " + err);
    }

    @Test
    void lowerQualityGivesSmallerFilesAndStillTheSameFace() {
        byte[] q50 = JpegEncoder.encode(crop, 50, JpegEncoder.Chroma.YCBCR_420);
        byte[] q95 = JpegEncoder.encode(crop, 95, JpegEncoder.Chroma.YCBCR_420);
        assertTrue(q50.length < q95.length, q50.length + " vs " + q95.length);
        float[] original = FaceEmbedder.shared().embed(crop);
        float d = FaceEmbedder.distance(original, FaceEmbedder.shared().embed(q50));
        assertTrue(d < 0.2f, "q50 thumbnail moved the descriptor by " + d);
        assertThrows(IllegalArgumentException.class, () -> JpegEncoder.encode(crop, 0, JpegEncoder.Chroma.GREY));
    }
}
