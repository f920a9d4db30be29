package io.cropsearch.engine.face;

import io.cropsearch.engine.Fixtures;
import io.cropsearch.engine.codec.ImageDecoder;
import io.cropsearch.engine.codec.PngDecoder;
import io.cropsearch.engine.codec.Rgb;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the pipeline decides on images other than single tight crops. */
class FacePipelineTest {
    private final FacePipeline pipeline = FacePipeline.shared();

    @Test
    void aBlankImageHasNoFace() {
        Rgb white = PngDecoder.decode(Fixtures.bytes("faceapi-test/images/white.png"));
        assertTrue(pipeline.detect(white).isEmpty());
        assertTrue(pipeline.describe(white, FacePipeline.Mode.FAST).isEmpty());
        assertTrue(pipeline.describe(white, FacePipeline.Mode.ACCURATE).isEmpty());
    }

    @Test
    void ofSeveralFacesTheLargestIsTaken() {
        Rgb group = ImageDecoder.decode(Fixtures.bytes("faceapi-test/images/faces.jpg"));
        FaceBox chosen = pipeline.detect(group).orElseThrow();
        // face-api.js's own expectation for faces.jpg lists six faces; the chosen one is the largest of them
        // (x 430, y 183, 162 x 143 in test/expectedTinyFaceDetectorBoxes.ts, at input size 416)
        assertEquals(430 + 162 / 2.0, chosen.x() + chosen.width() / 2, 30, "centre x of " + chosen);
        assertEquals(183 + 143 / 2.0, chosen.y() + chosen.height() / 2, 30, "centre y of " + chosen);
    }

    @Test
    void landmarksLieInTheDetectedFaceAndTheAlignedCutInsideTheImage() {
        Rgb crop = PngDecoder.decode(Fixtures.bytes("crops/sample3-face2.png"));
        FaceBox box = pipeline.detect(crop).orElseThrow();
        assertTrue(box.x() >= 0 && box.y() >= 0 && box.x() + box.width() <= crop.width()
                && box.y() + box.height() <= crop.height(), "box clipped to the image: " + box);
        for (FacePipeline.Mode mode : FacePipeline.Mode.values()) {
            FacePipeline.Landmarks l = pipeline.landmarks(crop, box, mode);
            assertEquals(136, l.points().length);
            for (int i = 0; i < 136; i += 2) {
                float x = l.points()[i];
                float y = l.points()[i + 1];
                assertTrue(x > box.x() - 10 && x < box.x() + box.width() + 10 && y > box.y() - 10
                        && y < box.y() + box.height() + 10, mode + " point " + i / 2 + " at " + x + "," + y);
            }
        }
    }

    /**
     * ACCURATE rotates the face upright (dlib's chip); FAST cuts an upright box. A face turned by 20 degrees
     * therefore keeps its ACCURATE descriptor much better than its FAST one.
     */
    @Test
    void accurateUndoesAHeadTiltThatFastKeeps() {
        Rgb crop = PngDecoder.decode(Fixtures.bytes("crops/sample2-face3.png"));
        Rgb tilted = rotate(crop, Math.toRadians(20));
        double[] moved = new double[2];
        for (FacePipeline.Mode mode : FacePipeline.Mode.values()) {
            float[] upright = pipeline.describe(crop, mode).orElseThrow().descriptor();
            Optional<FacePipeline.Face> face = pipeline.describe(tilted, mode);
            assertTrue(face.isPresent(), mode + ": the tilted face is found");
            moved[mode.ordinal()] = FaceEmbedder.distance(upright, face.get().descriptor());
        }
        System.out.printf("20 degree tilt moves the descriptor by FAST %.3f, ACCURATE %.3f%n", moved[0], moved[1]);
        assertTrue(moved[1] < 0.3, "ACCURATE moved " + moved[1]);
        assertTrue(moved[1] < moved[0], "ACCURATE " + moved[1] + " vs FAST " + moved[0]);
    }

    /**
     * A face far larger than the 150 px chip, with fine detail (sensor noise): ACCURATE shrinks it by halving before
     * it samples, as dlib does, so the noise averages out instead of aliasing into the chip.
     */
    @Test
    void aLargeNoisyFaceKeepsItsAccurateDescriptor() {
        Rgb crop = PngDecoder.decode(Fixtures.bytes("crops/sample3-face1.png"));
        int k = 7;
        byte[] big = new byte[crop.width() * k * crop.height() * k * 3];
        java.util.Random noise = new java.util.Random(7);
        for (int y = 0; y < crop.height() * k; y++) {
            for (int x = 0; x < crop.width() * k; x++) {
                for (int c = 0; c < 3; c++) {
                    int v = crop.get(x / k, y / k, c) + (int) Math.round(noise.nextGaussian() * 40);
                    big[(y * crop.width() * k + x) * 3 + c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        Rgb large = new Rgb(crop.width() * k, crop.height() * k, big);
        float[] small = pipeline.describe(crop, FacePipeline.Mode.ACCURATE).orElseThrow().descriptor();
        float[] fromLarge = pipeline.describe(large, FacePipeline.Mode.ACCURATE).orElseThrow().descriptor();
        double d = FaceEmbedder.distance(small, fromLarge);
        System.out.printf("840 px noisy face vs its 120 px crop, ACCURATE: %.3f%n", d);
        assertTrue(d < 0.2, "moved by " + d);
    }

    /** Rotation about the centre, bilinear, black outside: a test-only tilt. */
    private static Rgb rotate(Rgb in, double angle) {
        int w = in.width();
        int h = in.height();
        byte[] out = new byte[w * h * 3];
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sx = cos * (x - cx) + sin * (y - cy) + cx;
                double sy = -sin * (x - cx) + cos * (y - cy) + cy;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
                    continue;
                }
                double dx = sx - x0;
                double dy = sy - y0;
                for (int c = 0; c < 3; c++) {
                    double v = in.get(x0, y0, c) * (1 - dx) * (1 - dy) + in.get(x0 + 1, y0, c) * dx * (1 - dy)
                            + in.get(x0, y0 + 1, c) * (1 - dx) * dy + in.get(x0 + 1, y0 + 1, c) * dx * dy;
                    out[(y * w + x) * 3 + c] = (byte) Math.round(v);
                }
            }
        }
        return new Rgb(w, h, out);
    }
}
