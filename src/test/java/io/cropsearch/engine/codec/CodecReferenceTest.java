package io.cropsearch.engine.codec;

import io.cropsearch.engine.Fixtures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoders against independent reference decodes (jpeg-js, pngjs) of files written by other encoders (libjpeg-turbo
 * cjpeg, ImageMagick, Pillow): tools/reference/make-codec-fixtures.sh and make-codec-reference.js.
 */
class CodecReferenceTest {

    private static Rgb reference(String path) {
        // references are plain 8-bit RGB PNGs, read by the path PngDecoderTest checks exactly
        return PngDecoder.decode(Fixtures.bytes(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "progressive-420", // cjpeg -progressive: DC + AC bands, successive approximation, EOB runs
        "progressive-444",
        "progressive-420-restart", // 95x120, restart every 2 MCUs
        "progressive-grey",
        "multiscan-baseline-420", // sequential, one scan per component, 120x97
        "cmyk-adobe", // Pillow: Adobe inverted CMYK, transform 0
        "ycck-adobe", // ImageMagick: YCCK, transform 2
        "ycck-adobe-progressive"})
    void jpegsDecodeLikeJpegJs(String name) {
        Rgb got = JpegDecoder.decode(Fixtures.bytes("codec/" + name + ".jpg"));
        PixelDiff.assertJpegClose(name, reference("codec/" + name + ".decoded.png"), got);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void exifOrientationTurnsTheImageAsAViewerShowsIt(int orientation) {
        String name = "exif-orientation-" + orientation;
        Rgb got = ImageDecoder.decode(Fixtures.bytes("codec/" + name + ".jpg"));
        // the stored image is 95x120; 5-8 swap the sides
        assertEquals(orientation >= 5 ? 120 : 95, got.width());
        PixelDiff.assertJpegClose(name, reference("codec/" + name + ".decoded.png"), got);
    }

    @Test
    void aBrokenExifBlockCountsAsOrientationOne() {
        byte[] good = Fixtures.bytes("codec/exif-orientation-6.jpg");
        Rgb stored = reference("codec/exif-orientation-1.decoded.png");
        // layout written by make-codec-reference.js: FFD8, FFE1 len, "Exif\0\0" at 6, TIFF (big-endian for 6) at 12
        assertEquals('M', good[12]);
        byte[] badValue = good.clone();
        badValue[12 + 18 + 1] = 9; // orientation 9 does not exist
        byte[] badOffset = good.clone();
        badOffset[12 + 4] = 0x7F; // IFD0 offset far past the segment
        for (byte[] b : new byte[][] {badValue, badOffset}) {
            PixelDiff.assertJpegClose("broken EXIF", stored, JpegDecoder.decode(b));
        }
    }

    @Test
    void aTruncatedProgressiveFileShowsWhatItsFirstScansCarried() {
        // a download cut short: the DC and first AC scans are in the first 60%, so the face is there, only blurrier
        byte[] full = Fixtures.bytes("faceapi-test/images/surprised.jpg");
        Rgb whole = JpegDecoder.decode(full);
        Rgb cut = JpegDecoder.decode(java.util.Arrays.copyOf(full, full.length * 6 / 10));
        double[] d = PixelDiff.measure("surprised.jpg cut to 60%", whole, cut);
        assertTrue(d[1] < 4, "mean difference " + d[1]);
        assertTrue(d[1] > 0, "the cut file cannot be complete");
    }

    @ParameterizedTest
    @ValueSource(strings = {"angry", "surprised"})
    void realProgressivePhotosDecodeLikeJpegJs(String name) {
        // face-api.js's own test photos, progressive 4:4:4 (300x250 and 500x333); reference: every 3rd pixel
        Rgb got = JpegDecoder.decode(Fixtures.bytes("faceapi-test/images/" + name + ".jpg"));
        Rgb want = reference("faceapi-test/images/" + name + ".grid-x1s3-y2s3.png");
        PixelDiff.assertJpegClose(name + ".jpg", want, PixelDiff.grid(got, 1, 2, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "interlaced-rgb8", "interlaced-rgb16", "interlaced-rgba8", // Adam7
        "rgba16", "greyalpha16", "grey16", // 16-bit, alpha composited on white
        "palette-trns", // 4-bit palette, interlaced, one transparent entry
        "grey1", "grey2", "grey4"})
    void pngsDecodeExactlyLikePngjs(String name) {
        Rgb got = PngDecoder.decode(Fixtures.bytes("codec/" + name + ".png"));
        Rgb want = reference("codec/" + name + ".decoded.png");
        double[] d = PixelDiff.measure(name, want, got);
        assertEquals(0, d[0], name + ": PNG decoding is exact");
        assertArrayEquals(want.pixels(), got.pixels());
    }

    @Test
    void transparentPixelsAreCompositedOnWhite() {
        // interlaced-rgba8's alpha ramps from 255 at the left edge to 0 at the right: the right column is white
        Rgb got = PngDecoder.decode(Fixtures.bytes("codec/interlaced-rgba8.png"));
        int whiteChannels = 0;
        for (int y = 0; y < got.height(); y++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(255, got.get(got.width() - 1, y, c));
                whiteChannels += got.get(0, y, c) == 255 ? 1 : 0;
            }
        }
        assertEquals(0, whiteChannels, "the opaque left column keeps the face's colours");
    }
}
