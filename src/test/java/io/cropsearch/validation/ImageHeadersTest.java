package io.cropsearch.validation;

import io.cropsearch.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.cropsearch.testing.LyingImages.chunk;
import static io.cropsearch.testing.LyingImages.concat;
import static io.cropsearch.testing.LyingImages.extendedWebp;
import static io.cropsearch.testing.LyingImages.indexOfMarker;
import static io.cropsearch.testing.LyingImages.resized;
import static io.cropsearch.testing.LyingImages.riff;
import static io.cropsearch.testing.LyingImages.segment;
import static io.cropsearch.testing.LyingImages.withSecondIhdr;
import static io.cropsearch.testing.LyingImages.withSmallFrameFirst;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The header walker: every kind of disagreement it must see, and no false alarm on real files. */
class ImageHeadersTest {

    @Test
    void jpegWithASecondFrameHeaderConflicts() {
        byte[] jpeg = TestImages.jpeg(64, 64);
        assertFalse(ImageHeaders.conflicting(ImageFormat.JPEG, jpeg));
        assertTrue(ImageHeaders.conflicting(ImageFormat.JPEG, withSmallFrameFirst(jpeg, 16, 16)));
    }

    @Test
    void jpegWithAFrameHeaderAfterTheScanConflicts() {
        byte[] jpeg = TestImages.jpeg(64, 64);
        byte[] sof = segment(jpeg, 0xC0);
        int eoi = jpeg.length - 2;
        assertEquals(0xD9, jpeg[eoi + 1] & 0xFF);
        // The frame header again, between the scan's data and EOI: the only frame header before it is consistent.
        byte[] frameAfterScan = concat(Arrays.copyOf(jpeg, eoi), resized(sof, 6000, 6000),
                new byte[] {(byte) 0xFF, (byte) 0xD9});
        assertTrue(ImageHeaders.conflicting(ImageFormat.JPEG, frameAfterScan));
    }

    @Test
    void jpegFrameHeaderBehindJunkBetweenSegmentsIsFound() {
        byte[] jpeg = TestImages.jpeg(64, 64);
        int sof = indexOfMarker(jpeg, 0xC0);
        // Junk before the real frame header, and a small one in front: decoders skip junk, so the walk must too.
        byte[] junkThenFrame = concat(Arrays.copyOf(jpeg, sof), new byte[] {1, 2, 3},
                Arrays.copyOfRange(jpeg, sof, jpeg.length));
        assertTrue(ImageHeaders.conflicting(ImageFormat.JPEG, withSmallFrameFirst(junkThenFrame, 16, 16)));
    }

    @Test
    void whatFollowsTheEndOfImageIsAnotherImage() {
        // Phone photos carry secondary images (MPF, gain maps) after EOI; they are not this image's frames.
        byte[] jpeg = TestImages.jpeg(64, 64);
        assertFalse(ImageHeaders.conflicting(ImageFormat.JPEG, concat(jpeg, TestImages.jpeg(300, 200))));
    }

    @Test
    void pngWithTwoIhdrChunksOrIhdrNotFirstConflicts() {
        byte[] png = TestImages.png(64, 64);
        assertFalse(ImageHeaders.conflicting(ImageFormat.PNG, png));
        assertTrue(ImageHeaders.conflicting(ImageFormat.PNG, withSecondIhdr(png, 6000, 6000)));
        byte[] text = chunk("tEXt", "Comment\0hi".getBytes());
        assertTrue(ImageHeaders.conflicting(ImageFormat.PNG, concat(Arrays.copyOf(png, 8), text,
                Arrays.copyOfRange(png, 8, png.length))));
    }

    @Test
    void webpWhoseCanvasDisagreesWithItsFrameConflicts() {
        assertFalse(ImageHeaders.conflicting(ImageFormat.WEBP, extendedWebp(64, 64, 64, 64)));
        assertTrue(ImageHeaders.conflicting(ImageFormat.WEBP, extendedWebp(64, 64, 6000, 6000)));
        assertTrue(ImageHeaders.conflicting(ImageFormat.WEBP, extendedWebp(64, 64, 64, 65)));
    }

    @Test
    void webpWithTwoBitstreamsOrALateVp8xConflicts() {
        byte[] simple = TestImages.webpLossless(64, 64);
        assertFalse(ImageHeaders.conflicting(ImageFormat.WEBP, simple));
        byte[] secondFrame = Arrays.copyOfRange(TestImages.webpLossless(6000, 6000), 12, 30);
        byte[] firstFrame = Arrays.copyOfRange(simple, 12, 30);
        assertTrue(ImageHeaders.conflicting(ImageFormat.WEBP, riff(concat(firstFrame, secondFrame))));
        byte[] vp8x = Arrays.copyOfRange(extendedWebp(6000, 6000, 6000, 6000), 12, 30);
        assertTrue(ImageHeaders.conflicting(ImageFormat.WEBP, riff(concat(firstFrame, vp8x))));
    }

    @Test
    void noRealTestImageConflicts() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("src/test/resources"))) {
            files = walk.filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png|webp)$")).toList();
        }
        assertTrue(files.size() > 100, files.size() + " images");
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            ImageFormat format = ImageFormat.sniff(bytes);
            if (format != null) {
                assertFalse(ImageHeaders.conflicting(format, bytes), file.toString());
            }
        }
    }

    @Test
    void truncatedAndHostileStructuresEndTheWalkWithoutError() {
        byte[] jpeg = TestImages.jpeg(64, 64);
        for (int n = 2; n < jpeg.length; n += 7) {
            ImageHeaders.conflicting(ImageFormat.JPEG, Arrays.copyOf(jpeg, n));
        }
        byte[] png = TestImages.png(64, 64);
        for (int n = 8; n < png.length; n += 3) {
            ImageHeaders.conflicting(ImageFormat.PNG, Arrays.copyOf(png, n));
        }
        byte[] webp = extendedWebp(64, 64, 64, 64);
        for (int n = 12; n < webp.length; n++) {
            ImageHeaders.conflicting(ImageFormat.WEBP, Arrays.copyOf(webp, n));
        }
        byte[] hugeChunk = png.clone();
        Arrays.fill(hugeChunk, 8, 12, (byte) 0xFF);
        assertFalse(ImageHeaders.conflicting(ImageFormat.PNG, hugeChunk), "a 4 GB chunk length ends the walk");
    }
}
