package io.cropsearch.engine.face;

import com.fasterxml.jackson.databind.JsonNode;
import io.cropsearch.engine.Fixtures;
import io.cropsearch.engine.codec.PngDecoder;
import io.cropsearch.engine.codec.Rgb;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FacePipeline#attributes} against face-api.js 0.22.2's {@code AgeGenderNet.predictAgeAndGender} on the same
 * cut (tools/reference/make-age-gender.js: the box FacePipeline detects on each evaluation and fixture crop, as
 * recorded in reference-pipeline.json): pooled features, raw outputs, age and gender probability within 1e-4, and
 * the same gender. Also prints the per-person summary on the evaluation crops quoted in docs/EMBEDDED.md.
 */
class AgeGenderNetReferenceTest {

    @Test
    void matchesFaceApiJs() {
        JsonNode root = Fixtures.json("reference-age-gender.json");
        FacePipeline pipeline = FacePipeline.shared();
        AgeGenderNet net = AgeGenderNet.load();
        double worstFeature = 0, worstRaw = 0, worstAge = 0, worstProbability = 0;
        int images = 0;
        Map<String, StringBuilder> people = new TreeMap<>();
        for (JsonNode image : root.get("images")) {
            String file = image.get("file").asText();
            Rgb rgb = PngDecoder.decode(Fixtures.bytes(file));
            JsonNode b = image.get("box");
            FaceBox box = new FaceBox((float) b.get("x").asDouble(), (float) b.get("y").asDouble(),
                    (float) b.get("width").asDouble(), (float) b.get("height").asDouble(), (float) b.get("score").asDouble());
            Align.Rect r = Align.clip(box.x(), box.y(), box.width(), box.height(), rgb.width(), rgb.height());
            Rgb face = Align.cut(rgb, r);
            if (image.has("pooled")) {
                float[] expected = Fixtures.floats(image.get("pooled"));
                float[] got = net.features(face);
                assertEquals(expected.length, got.length, file + " features");
                for (int i = 0; i < got.length; i++) {
                    worstFeature = Math.max(worstFeature, Math.abs(got[i] - expected[i]));
                }
            }
            float[] raw = net.raw(face);
            JsonNode logits = image.get("genderLogits");
            worstRaw = Math.max(worstRaw, Math.max(Math.abs(raw[0] - image.get("rawAge").asDouble()),
                    Math.max(Math.abs(raw[1] - logits.get(0).asDouble()), Math.abs(raw[2] - logits.get(1).asDouble()))));

            Attributes a = pipeline.attributes(rgb, box);
            String expectedGender = image.get("gender").asText().equals("male") ? "M" : "F";
            assertEquals(expectedGender, a.gender(), file + " gender");
            worstAge = Math.max(worstAge, Math.abs(a.age() - image.get("age").asDouble()));
            worstProbability = Math.max(worstProbability,
                    Math.abs(a.genderProbability() - image.get("genderProbability").asDouble()));
            images++;
            if (file.startsWith("eval/crops/")) {
                String person = file.substring("eval/crops/".length()).replaceAll("\\d+\\.png$", "");
                people.computeIfAbsent(person, k -> new StringBuilder())
                        .append(String.format(" %s%.0f(%.2f)", a.gender(), a.age(), a.genderProbability()));
            }
        }
        System.out.printf("AgeGenderNet vs face-api.js over %d faces: features %.2e, raw outputs %.2e, age %.2e, "
                + "gender probability %.2e%n", images, worstFeature, worstRaw, worstAge, worstProbability);
        people.forEach((person, line) -> System.out.println("  " + person + ":" + line));
        assertTrue(images >= 61, "faces compared: " + images);
        assertTrue(worstFeature <= 1e-4, "feature error " + worstFeature);
        assertTrue(worstRaw <= 1e-4, "raw output error " + worstRaw);
        assertTrue(worstAge <= 1e-4, "age error " + worstAge);
        assertTrue(worstProbability <= 1e-4, "gender probability error " + worstProbability);
    }

    /** The softmax on two logits is a probability pair; equal logits give one half each. */
    @Test
    void softmaxOfTwoLogits() {
        float[] p = AgeGenderNet.softmax(new float[] {2f, -1f});
        assertEquals(1.0, p[0] + p[1], 1e-6);
        assertEquals(1 / (1 + Math.exp(-3)), p[0], 1e-6);
        float[] half = AgeGenderNet.softmax(new float[] {0.3f, 0.3f});
        assertEquals(0.5, half[0], 1e-7);
    }
}
