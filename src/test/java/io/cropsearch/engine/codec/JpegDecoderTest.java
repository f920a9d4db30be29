package io.cropsearch.engine.codec;

import io.cropsearch.engine.face.FaceEmbedder;
import io.cropsearch.engine.Fixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** JpegDecoder against jpeg-js decodes of the same files (tools/reference/make-jpeg-reference.js). */
class JpegDecoderTest {

    // Float IDCT here, integer IDCT in jpeg-js: a level or two apart, more only where a rounding flips a clamp.
    private static final int MAX_LEVELS = 4;
    private static final double MAX_MEAN = 0.6;

    @ParameterizedTest
    @ValueSource(strings = {"sample2-face1", "sample4-face3", "sample1-face3-tall-odd"})
    void jpegJsEncoded444CropsDecodeLikeJpegJs(String name) {
        Rgb got = JpegDecoder.decode(Fixtures.bytes("jpeg/" + name + ".q90.jpg"));
        Rgb want = PngDecoder.decode(Fixtures.bytes("jpeg/" + name + ".q90.decoded.png"));
        assertEquals(want.width(), got.width());
        assertEquals(want.height(), got.height());
        compare(name, want.pixels(), got.pixels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample2-face1.420", "sample2-face1.grey", "sample1-face3-tall-odd.420",
        "sample1-face3-tall-odd.grey"})
    void javaEncoded420AndGreyscaleDecodeLikeJpegJs(String name) {
        // written by JpegEncoder (jpeg-js cannot write these layouts), decoded independently by jpeg-js
        Rgb got = JpegDecoder.decode(Fixtures.bytes("jpeg/" + name + ".q90.java.jpg"));
        Rgb want = PngDecoder.decode(Fixtures.bytes("jpeg/" + name + ".q90.java.decoded.png"));
        assertEquals(want.width(), got.width());
        assertEquals(want.height(), got.height());
        compare(name, want.pixels(), got.pixels());
    }

    @Test
    void cameraPhoto422DecodesLikeJpegJs() {
        Rgb got = JpegDecoder.decode(Fixtures.bytes("jpeg/sample1.jpg"));
        assertEquals(1920, got.width());
        assertEquals(1280, got.height());
        Rgb grid = PngDecoder.decode(Fixtures.bytes("jpeg/sample1.grid-x3s8-y5s8.png"));
        byte[] sampled = new byte[grid.pixels().length];
        for (int j = 0; j < grid.height(); j++) {
            for (int i = 0; i < grid.width(); i++) {
                for (int c = 0; c < 3; c++) {
                    sampled[(j * grid.width() + i) * 3 + c] = (byte) got.get(3 + 8 * i, 5 + 8 * j, c);
                }
            }
        }
        compare("sample1.jpg", grid.pixels(), sampled);
    }

    @Test
    void decodedJpegCropGivesNearlyTheReferenceDescriptor() {
        // the whole pipeline from JPEG bytes: re-encoding at q90 moves a descriptor far less than a change of person
        float[] fromJpeg = FaceEmbedder.shared().embed(Fixtures.bytes("jpeg/sample2-face1.q90.jpg"));
        float[] reference = Fixtures.referenceDescriptors().stream()
                .filter(r -> r.file().equals("sample2-face1.png")).findFirst().orElseThrow().descriptor();
        float d = FaceEmbedder.distance(fromJpeg, reference);
        assertTrue(d < 0.15f, "q90 JPEG moved the descriptor by " + d);
    }

    @Test
    void arithmeticCodedJpegIsRefusedWithAClearMessage() {
        // progressive files decode now (CodecReferenceTest); arithmetic coding (SOF9) is still refused
        byte[] b = Fixtures.bytes("jpeg/sample1.jpg").clone();
        int sof = indexOfMarker(b, 0xC0);
        b[sof + 1] = (byte) 0xC9;
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> JpegDecoder.decode(b));
        assertTrue(e.getMessage().contains("arithmetic"), e.getMessage());
    }

    @Test
    void truncatedOrForeignBytesFailAsDecodeErrors() {
        byte[] b = Fixtures.bytes("jpeg/sample1.jpg");
        assertThrows(ImageDecodeException.class, () -> JpegDecoder.decode(Arrays.copyOf(b, 300)));
        assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode("GIF89a-not-supported".getBytes()));
    }

    private static int indexOfMarker(byte[] b, int marker) {
        for (int i = 2; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == marker) {
                return i;
            }
        }
        throw new AssertionError("no marker " + Integer.toHexString(marker));
    }

    private static void compare(String what, byte[] want, byte[] got) {
        assertEquals(want.length, got.length);
        int max = 0;
        long sum = 0;
        for (int i = 0; i < want.length; i++) {
            int d = Math.abs((want[i] & 0xFF) - (got[i] & 0xFF));
            max = Math.max(max, d);
            sum += d;
        }
        double mean = (double) sum / want.length;
        System.out.printf("%s vs jpeg-js: max %d levels, mean %.3f%n", what, max, mean);
        assertTrue(max <= MAX_LEVELS, what + ": max difference " + max + " levels");
        assertTrue(mean <= MAX_MEAN, what + ": mean difference " + mean);
    }
}
