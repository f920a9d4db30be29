package io.cropsearch.engine.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cropsearch.engine.Fixtures;
import io.cropsearch.engine.codec.PngDecoder;
import io.cropsearch.engine.codec.Rgb;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java detector against face-api.js 0.22.2's TinyFaceDetector (tools/reference/make-detections.js): the same
 * boxes in the same order for every fixture, input size and threshold, and the raw output grid of one image.
 * Both sides read the same RGB bytes (PNG fixtures; the JPEG photos decoded once by jpeg-js and stored as PNG).
 */
class TinyFaceDetectorReferenceTest {

    private static final double TOLERANCE = 1e-4;

    private static TinyFaceDetector detector;
    private static JsonNode reference;

    @BeforeAll
    static void load() {
        detector = TinyFaceDetector.load();
        reference = Fixtures.json("reference-detections.json");
    }

    private static Rgb image(String file) {
        return PngDecoder.decode(Fixtures.bytes(file));
    }

    @Test
    void rawOutputGridMatches() {
        JsonNode raw = reference.get("raw");
        int inputSize = raw.get("inputSize").asInt();
        int cells = TinyFaceDetector.cells(inputSize);
        assertEquals(List.of(1, cells, cells, 25), List.of(raw.get("shape").get(0).asInt(), raw.get("shape").get(1).asInt(),
                raw.get("shape").get(2).asInt(), raw.get("shape").get(3).asInt()));
        float[] expected = Fixtures.floats(raw.get("values"));
        float[] got = detector.rawOutput(image(raw.get("file").asText()), inputSize);
        assertEquals(expected.length, got.length);
        double max = 0;
        int worst = -1;
        for (int i = 0; i < got.length; i++) {
            double d = Math.abs(got[i] - expected[i]);
            if (d > max) {
                max = d;
                worst = i;
            }
        }
        System.out.printf("raw grid %s @%d: max abs error %.3g at %d (values up to %.2f)%n", raw.get("file").asText(),
                inputSize, max, worst, maxAbs(expected));
        assertTrue(max <= TOLERANCE, "raw grid: max abs error " + max + " at index " + worst);
    }

    @Test
    void everyDetectionMatches() {
        JsonNode cases = reference.get("detections");
        assertTrue(cases.size() >= 100, "expected the full reference set, got " + cases.size());
        double worstScore = 0;
        double worstCoord = 0;
        int boxes = 0;
        String lastFile = null;
        Rgb img = null;
        for (JsonNode c : cases) {
            String file = c.get("file").asText();
            if (!file.equals(lastFile)) {
                img = image(file);
                lastFile = file;
            }
            assertEquals(c.get("width").asInt(), img.width(), file);
            assertEquals(c.get("height").asInt(), img.height(), file);
            int inputSize = c.get("inputSize").asInt();
            float threshold = (float) c.get("scoreThreshold").asDouble();
            String what = file + " @" + inputSize + " >" + threshold;
            List<FaceBox> got = detector.detect(img, inputSize, threshold);
            JsonNode want = c.get("boxes");
            assertEquals(want.size(), got.size(), what + ": number of boxes, got " + got);
            for (int i = 0; i < got.size(); i++) {
                FaceBox b = got.get(i);
                JsonNode w = want.get(i);
                double ds = Math.abs(b.score() - w.get("score").asDouble());
                double dc = Math.max(
                        Math.max(Math.abs(b.x() - w.get("x").asDouble()), Math.abs(b.width() - w.get("width").asDouble()))
                                / img.width(),
                        Math.max(Math.abs(b.y() - w.get("y").asDouble()), Math.abs(b.height() - w.get("height").asDouble()))
                                / img.height());
                assertTrue(ds <= TOLERANCE, what + " box " + i + ": score " + b.score() + " vs " + w.get("score"));
                assertTrue(dc <= TOLERANCE, what + " box " + i + ": " + b + " vs " + w);
                worstScore = Math.max(worstScore, ds);
                worstCoord = Math.max(worstCoord, dc);
                boxes++;
            }
        }
        System.out.printf("detector vs face-api.js: %d cases, %d boxes; max score error %.3g, max coordinate error %.3g"
                + " (relative to the image side)%n", cases.size(), boxes, worstScore, worstCoord);
        assertTrue(boxes >= 50, "the reference should contain boxes, got " + boxes);
    }

    @Test
    void rejectsOptionsFaceApiRejects() {
        Rgb img = image("faceapi-test/images/white.png");
        for (int bad : new int[] {0, 100, 150, -32}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> detector.detect(img, bad, 0.5f));
        }
        for (float bad : new float[] {0f, 1f, -0.1f, Float.NaN}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> detector.detect(img, 128, bad));
        }
        assertArrayEquals(new int[] {4, 5, 7, 10, 13}, new int[] {TinyFaceDetector.cells(128), TinyFaceDetector.cells(160),
                TinyFaceDetector.cells(224), TinyFaceDetector.cells(320), TinyFaceDetector.cells(416)});
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }
}
