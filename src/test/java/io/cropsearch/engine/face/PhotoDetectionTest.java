package io.cropsearch.engine.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cropsearch.engine.Fixtures;
import io.cropsearch.engine.codec.Downscale;
import io.cropsearch.engine.codec.ImageDecoder;
import io.cropsearch.engine.codec.PngDecoder;
import io.cropsearch.engine.codec.Rgb;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whole photos through {@link FacePipeline#detectAll}, against tools/reference/make-photo-detection.js (face-api.js
 * 0.22.2's TinyFaceDetector on the area-shrunk photos, and its SsdMobilenetv1 as the reference for which faces a photo
 * holds) and against face-api.js's own expected boxes for faces.jpg. Both sides read the same RGB bytes (the photos
 * decoded once by jpeg-js, stored as PNG in detector/), except where faces.jpg is decoded by our JpegDecoder as an
 * upload would be.
 */
class PhotoDetectionTest {

    /** Faces counted by eye on face-api.js's group photos examples/images/bbt1..5.jpg (docs/EMBEDDED.md). */
    private static final int[] BY_EYE = {4, 3, 5, 6, 5};

    private static JsonNode study;
    private static TinyFaceDetector detector;
    private static FacePipeline pipeline;

    @BeforeAll
    static void load() {
        study = Fixtures.json("photo-detection.json");
        detector = TinyFaceDetector.load();
        pipeline = FacePipeline.shared();
    }

    private static FaceBox box(JsonNode b) {
        return new FaceBox((float) b.get("x").asDouble(), (float) b.get("y").asDouble(), (float) b.get("width").asDouble(),
                (float) b.get("height").asDouble(), b.has("score") ? (float) b.get("score").asDouble() : 1f);
    }

    /**
     * Area averaging and the detector on the shrunk photo give face-api.js's boxes on the reference script's shrunk
     * photo, at every studied input size: the two area filters produce the same pixels (a level off anywhere would
     * move the boxes by more than the tolerance).
     */
    @Test
    void shrunkPhotosGiveTheReferenceBoxes() {
        double worst = 0;
        int compared = 0;
        for (JsonNode photo : study.get("photos")) {
            Rgb image = PngDecoder.decode(Fixtures.bytes(photo.get("file").asText()));
            for (JsonNode row : photo.get("tiny")) {
                if (row.get("scaledTo").isNull()) {
                    continue;
                }
                int inputSize = row.get("inputSize").asInt();
                Rgb small = Downscale.area(image, row.get("scaledTo").get(0).asInt(), row.get("scaledTo").get(1).asInt());
                List<FaceBox> got = detector.detect(small, inputSize, FacePipeline.DETECT_MIN_SCORE);
                JsonNode expected = row.get("scaled");
                String where = photo.get("name").asText() + " @" + inputSize;
                assertEquals(expected.size(), got.size(), where + " boxes");
                for (int i = 0; i < got.size(); i++) {
                    FaceBox e = box(expected.get(i).get("scaledImageBox"));
                    FaceBox g = got.get(i);
                    double err = Math.max(Math.max(Math.abs(g.x() - e.x()), Math.abs(g.y() - e.y())),
                            Math.max(Math.abs(g.width() - e.width()), Math.abs(g.height() - e.height())));
                    worst = Math.max(worst, err / inputSize);
                    assertEquals(expected.get(i).get("score").asDouble(), g.score(), 1e-4, where + " score");
                    compared++;
                }
            }
        }
        System.out.printf("area-shrunk photos: %d boxes, worst %.2e of the input side%n", compared, worst);
        assertTrue(compared >= 40, "boxes compared: " + compared);
        assertTrue(worst <= 1e-4, "box error " + worst);
    }

    /**
     * detectAll on each group photo: the reference's photo-pass boxes (416, then 512 for the faces 416 missed), every
     * face face-api.js's SSD finds, and as many faces as counted by eye.
     */
    @Test
    void detectAllFindsEveryFaceOfTheGroupPhotos() {
        StringBuilder table = new StringBuilder("group photos (found / ssd / by eye):");
        int p = 0;
        for (JsonNode photo : study.get("photos")) {
            String name = photo.get("name").asText();
            Rgb image = PngDecoder.decode(Fixtures.bytes(photo.get("file").asText()));
            List<FaceBox> got = pipeline.detectAll(image);
            JsonNode expected = photo.get("policy").get("boxes");
            assertEquals(expected.size(), got.size(), name + " faces");
            for (int i = 0; i < got.size(); i++) {
                FaceBox e = clip(box(expected.get(i)), image);
                FaceBox g = got.get(i);
                double err = Math.max(Math.max(Math.abs(g.x() - e.x()), Math.abs(g.y() - e.y())),
                        Math.max(Math.abs(g.width() - e.width()), Math.abs(g.height() - e.height())));
                assertTrue(err <= 1e-3, name + " box " + i + ": " + g + " vs " + e);
                if (i > 0) {
                    assertTrue(area(got.get(i - 1)) >= area(g), name + ": largest first");
                }
            }
            int ssdFound = 0;
            for (JsonNode s : photo.get("ssd")) {
                FaceBox ssd = box(s);
                if (got.stream().anyMatch(g -> FacePipeline.sameFace(g, ssd))) {
                    ssdFound++;
                }
            }
            assertEquals(photo.get("ssd").size(), ssdFound, name + ": ssd faces found");
            assertEquals(BY_EYE[p], got.size(), name + ": faces counted by eye");
            table.append(String.format(" %s %d/%d/%d", name, got.size(), photo.get("ssd").size(), BY_EYE[p]));
            p++;
        }
        System.out.println(table);
    }

    /**
     * face-api.js's tinyFaceDetector.test.ts (inputSize 416) expectations for faces.jpg, through the whole-photo
     * path, faces.jpg decoded by our JpegDecoder: six faces, each within 5 px (corner and size) and 0.05 (score) of
     * expectedTinyFaceDetectorBoxes.
     */
    @Test
    void facesJpgPassesFaceApiJsExpectedBoxes() {
        double[][] expected = {
            {29, 264, 139, 137}, {224, 240, 147, 128}, {547, 81, 136, 114},
            {214, 53, 124, 119}, {430, 183, 162, 143}, {54, 33, 134, 114},
        };
        double[] scores = {0.7, 0.82, 0.93, 0.86, 0.79, 0.84}; // for the boxes after sortBoxes
        Arrays.sort(expected, Comparator.comparingDouble(b -> Math.hypot(b[0], b[1])));
        Rgb faces = ImageDecoder.decode(Fixtures.bytes("faceapi-test/images/faces.jpg"));
        List<FaceBox> got = new ArrayList<>(pipeline.detectAll(faces));
        assertEquals(6, got.size());
        got.sort(Comparator.comparingDouble(b -> Math.hypot(b.x(), b.y())));
        double worstCorner = 0, worstSize = 0, worstScore = 0;
        for (int i = 0; i < 6; i++) {
            FaceBox g = got.get(i);
            double corner = Math.hypot(g.x() - expected[i][0], g.y() - expected[i][1]);
            double size = Math.hypot(g.width() - expected[i][2], g.height() - expected[i][3]);
            worstCorner = Math.max(worstCorner, corner);
            worstSize = Math.max(worstSize, size);
            worstScore = Math.max(worstScore, Math.abs(g.score() - scores[i]));
            assertTrue(corner <= 5 && size <= 5, "face " + i + ": " + g + " vs " + Arrays.toString(expected[i]));
            assertTrue(Math.abs(g.score() - scores[i]) < 0.05, "face " + i + " score " + g.score());
        }
        System.out.printf("faces.jpg via detectAll: corner %.2f px, size %.2f px, score %.3f off at worst%n",
                worstCorner, worstSize, worstScore);
    }

    /**
     * A 4096 px photo: the same faces as at its own size, and memory that does not grow with the photo: detectAll
     * allocates on the 4096 px photo what it allocates on a 1024 px copy of it plus that copy (the crop attempts see a
     * photo larger than a crop shrunk to 1024 px: 1.8 MB here) and the shrink's weights: the other shrunk copies and
     * the detector's activations depend on the input sizes only (a float copy of the photo alone would be 113 MB).
     */
    @Test
    void a4096PhotoIsDetectedWithinBoundedMemory() {
        Rgb bbt1 = PngDecoder.decode(Fixtures.bytes("detector/bbt1.jpg.png"));
        Rgb big = upscale(bbt1, 3); // 4098 x 2304: the same faces three times as large
        Rgb large = big.crop(0, 0, 4096, big.height());
        big = null;
        int[] size = Downscale.fit(large.width(), large.height(), 1024);
        Rgb small = Downscale.area(large, size[0], size[1]);
        long smallBytes = allocation(small);
        long largeBytes = allocation(large);
        List<FaceBox> found = pipeline.detectAll(large);
        System.out.printf("detectAll allocates %.1f MB on the 4096 x %d photo, %.1f MB on it shrunk to 1024 px%n",
                largeBytes / 1e6, large.height(), smallBytes / 1e6);
        assertEquals(4, found.size(), "faces of bbt1 at 4096 px");
        assertEquals(4, pipeline.detectAll(small).size(), "faces of bbt1 at 1024 px");
        long cropSizeCopy = (long) small.width() * small.height() * 3;
        assertTrue(largeBytes <= smallBytes + cropSizeCopy + 1_000_000L, "allocated " + largeBytes + " against "
                + smallBytes);
    }

    /**
     * Landmarks and descriptors come from the full-resolution face region: the largest face of bbt1 described on the
     * photo as it is and on the photo enlarged three times (box in the large photo's pixels, face cut from it) is the
     * same person by a wide margin (distance 0.6, score 0.7, is the same-person line of face-api.js and of this engine).
     */
    @Test
    void facesOfALargePhotoAreDescribedFromItsOwnPixels() {
        Rgb bbt1 = PngDecoder.decode(Fixtures.bytes("detector/bbt1.jpg.png"));
        Rgb large = upscale(bbt1, 3);
        for (FacePipeline.Mode mode : FacePipeline.Mode.values()) {
            FacePipeline.Face small = pipeline.describe(bbt1, mode).orElseThrow();
            FacePipeline.Face big = pipeline.describe(large, mode).orElseThrow();
            assertTrue(FacePipeline.sameFace(new FaceBox(big.box().x() / 3, big.box().y() / 3, big.box().width() / 3,
                    big.box().height() / 3, 1f), small.box()), "the same face: " + small.box() + " / " + big.box());
            float distance = FaceEmbedder.distance(small.descriptor(), big.descriptor());
            System.out.printf("bbt1 largest face, %s: descriptor at 1366 px vs at 4098 px: distance %.3f%n", mode, distance);
            assertTrue(distance < 0.3, mode + " distance " + distance);
        }
    }

    /**
     * A photo larger than a crop can be, framed as tightly as a crop (a high-resolution portrait or selfie): the crop
     * attempts see it shrunk to crop size, so its face is found as in the crop itself, at the same place.
     */
    @Test
    void aTightlyFramedLargePhotoIsFoundLikeACrop() {
        int found = 0;
        List<String> crops = List.of("sample1-face1.png", "sample2-face2.png", "sample4-face3.png", "sample6-face4.png");
        for (String file : crops) {
            Rgb crop = Fixtures.crop(file);
            FaceBox small = pipeline.detect(crop).orElseThrow();
            Rgb large = upscale(crop, 12); // 1440 px
            List<FaceBox> faces = pipeline.detectAll(large);
            if (!faces.isEmpty()) {
                FaceBox big = faces.get(0);
                assertTrue(FacePipeline.sameFace(new FaceBox(big.x() / 12, big.y() / 12, big.width() / 12,
                        big.height() / 12, 1f), small), file + ": " + big + " vs " + small);
                found++;
            }
        }
        assertEquals(crops.size(), found, "tight 1440 px portraits with a face found");
    }

    /** Bytes detectAll allocates on this thread, after a warm-up call (class loading, JIT). */
    private static long allocation(Rgb image) {
        pipeline.detectAll(image);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        pipeline.detectAll(image);
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void areaAveragingMeansTheCoveredPixels() {
        // 4 x 2 -> 2 x 1: each output pixel the mean of a 2 x 2 block; 3 -> 2 columns: shares of 2/3 and 1/3
        byte[] px = new byte[4 * 2 * 3];
        int[] grey = {0, 10, 20, 30, 40, 50, 60, 70};
        for (int i = 0; i < 8; i++) {
            Arrays.fill(px, i * 3, i * 3 + 3, (byte) grey[i]);
        }
        Rgb out = Downscale.area(new Rgb(4, 2, px), 2, 1);
        assertEquals(25, out.get(0, 0, 0)); // (0 + 10 + 40 + 50) / 4
        assertEquals(45, out.get(1, 0, 1)); // (20 + 30 + 60 + 70) / 4
        byte[] row = new byte[3 * 3];
        int[] v = {0, 90, 180};
        for (int i = 0; i < 3; i++) {
            Arrays.fill(row, i * 3, i * 3 + 3, (byte) v[i]);
        }
        Rgb two = Downscale.area(new Rgb(3, 1, row), 2, 1);
        assertEquals(30, two.get(0, 0, 2)); // 0 * 2/3 + 90 * 1/3
        assertEquals(150, two.get(1, 0, 2)); // 90 * 1/3 + 180 * 2/3
        assertEquals(List.of(512, 288), List.of(Downscale.fit(4096, 2304, 512)[0], Downscale.fit(4096, 2304, 512)[1]));
        assertEquals(List.of(300, 200), List.of(Downscale.fit(300, 200, 512)[0], Downscale.fit(300, 200, 512)[1]));
    }

    /** Each pixel repeated {@code k} times in each direction (a large photo made from a real one). */
    static Rgb upscale(Rgb image, int k) {
        int w = image.width() * k;
        int h = image.height() * k;
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int s = ((y / k) * image.width() + x / k) * 3;
                int d = (y * w + x) * 3;
                out[d] = image.pixels()[s];
                out[d + 1] = image.pixels()[s + 1];
                out[d + 2] = image.pixels()[s + 2];
            }
        }
        return new Rgb(w, h, out);
    }

    private static FaceBox clip(FaceBox b, Rgb image) {
        float x0 = Math.max(0, b.x());
        float y0 = Math.max(0, b.y());
        float x1 = Math.min(image.width(), b.right());
        float y1 = Math.min(image.height(), b.bottom());
        return new FaceBox(x0, y0, x1 - x0, y1 - y0, b.score());
    }

    private static double area(FaceBox b) {
        return (double) b.width() * b.height();
    }
}
