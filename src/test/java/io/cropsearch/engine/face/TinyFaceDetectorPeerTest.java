package io.cropsearch.engine.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cropsearch.engine.Fixtures;
import io.cropsearch.engine.codec.ImageDecoder;
import io.cropsearch.engine.codec.Rgb;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * face-api.js's own checks of its TinyFaceDetector (test/tests/tinyFaceDetector/*.test.ts with
 * test/expectedTinyFaceDetectorBoxes.ts, test/expectFaceDetections.ts and test/utils.ts of face-api.js 0.22.2),
 * ported with their expectations and tolerances unchanged. Unlike the reference test, faces.jpg is decoded here by
 * our own JpegDecoder, as a user's upload would be.
 */
class TinyFaceDetectorPeerTest {

    /** expectedTinyFaceDetectorBoxes, {x, y, width, height}, before sortBoxes. */
    private static final double[][] EXPECTED_BOXES = {
        {29, 264, 139, 137},
        {224, 240, 147, 128},
        {547, 81, 136, 114},
        {214, 53, 124, 119},
        {430, 183, 162, 143},
        {54, 33, 134, 114},
    };
    private static final double MAX_SCORE_DELTA = 0.05;

    private static TinyFaceDetector detector;
    private static Rgb faces;

    @BeforeAll
    static void load() {
        detector = TinyFaceDetector.load();
        faces = ImageDecoder.decode(Fixtures.bytes("faceapi-test/images/faces.jpg"));
    }

    /** tinyFaceDetector.test.ts / tinyFaceDetector.node.test.ts: detectAllFaces with TinyFaceDetectorOptions({inputSize: 416}). */
    @Test
    void inputSize416FindsAllSixFaces() {
        List<FaceBox> results = detector.detect(faces, 416, 0.5f);
        assertEquals(6, results.size());
        expectFaceDetections(results, new double[] {0.7, 0.82, 0.93, 0.86, 0.79, 0.84}, 5);
    }

    /** tinyFaceDetector.locateFaces.test.ts: inputSize 320 (scoreThreshold left at its default, 0.5). */
    @Test
    void inputSize320FindsAllSixFaces() {
        List<FaceBox> results = detector.detect(faces, 320, 0.5f);
        assertEquals(6, results.size());
        expectFaceDetections(results, new double[] {0.77, 0.75, 0.88, 0.77, 0.83, 0.85}, 40);
    }

    /** detectSingleFace: the best-scoring detection is expectedTinyFaceDetectorBoxes[2] after sorting, score 0.93. */
    @Test
    void singleFaceIsTheBestScoringOne() {
        FaceBox best = detector.detect(faces, 416, 0.5f).get(0);
        double[] expected = sortBoxes()[2];
        assertTrue(Math.abs(best.score() - 0.93) < MAX_SCORE_DELTA, "score " + best.score());
        expectRectClose(best, expected, 5);
    }

    @Test
    void noFaceInAWhiteImage() {
        Rgb white = ImageDecoder.decode(Fixtures.bytes("faceapi-test/images/white.png"));
        for (int inputSize : new int[] {128, 160, 224, 320, 416, 608}) {
            assertEquals(List.of(), detector.detect(white, inputSize, 0.5f), "inputSize " + inputSize);
        }
    }

    /** expectFaceDetections: results and expected boxes both sorted by their top-left corner's distance to (0, 0). */
    private static void expectFaceDetections(List<FaceBox> results, double[] expectedScores, double maxBoxDelta) {
        double[][] expected = sortBoxes();
        List<FaceBox> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingDouble(b -> Math.hypot(b.x(), b.y())));
        StringBuilder line = new StringBuilder("faces.jpg (our JpegDecoder):");
        for (int i = 0; i < expectedScores.length; i++) {
            FaceBox det = sorted.get(i);
            line.append(String.format(" [%.3f vs %.2f, corner off %.1f, size off %.1f]", det.score(), expectedScores[i],
                    Math.hypot(det.x() - expected[i][0], det.y() - expected[i][1]),
                    Math.hypot(det.width() - expected[i][2], det.height() - expected[i][3])));
            assertTrue(Math.abs(det.score() - expectedScores[i]) < MAX_SCORE_DELTA,
                    "face " + i + ": score " + det.score() + ", expected " + expectedScores[i]);
            expectRectClose(det, expected[i], maxBoxDelta);
        }
        System.out.println(line);
    }

    /** utils.expectRectClose: corner and size each within maxDelta (Euclidean). */
    private static void expectRectClose(FaceBox got, double[] expected, double maxDelta) {
        double corner = Math.hypot(got.x() - expected[0], got.y() - expected[1]);
        double size = Math.hypot(got.width() - expected[2], got.height() - expected[3]);
        assertTrue(corner <= maxDelta, got + ": corner off by " + corner + " from " + java.util.Arrays.toString(expected));
        assertTrue(size <= maxDelta, got + ": size off by " + size + " from " + java.util.Arrays.toString(expected));
    }

    private static double[][] sortBoxes() {
        double[][] boxes = EXPECTED_BOXES.clone();
        java.util.Arrays.sort(boxes, Comparator.comparingDouble(b -> Math.hypot(b[0], b[1])));
        return boxes;
    }
}
