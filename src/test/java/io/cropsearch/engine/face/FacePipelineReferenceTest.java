package io.cropsearch.engine.face;

import com.fasterxml.jackson.databind.JsonNode;
import io.cropsearch.engine.Fixtures;
import io.cropsearch.engine.codec.PngDecoder;
import io.cropsearch.engine.codec.Rgb;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The FAST pipeline against the same steps run with face-api.js 0.22.2's own functions
 * (tools/reference/make-pipeline-reference.js): the detected box, the 68 landmarks, the aligned box face-api.js's
 * {@code withFaceDescriptor()} cuts, and the descriptor, on every evaluation and fixture crop.
 */
class FacePipelineReferenceTest {

    @Test
    void everyStageOfFastMatchesFaceApiJs() {
        JsonNode root = Fixtures.json("reference-pipeline.json");
        FacePipeline pipeline = FacePipeline.shared();
        int faces = 0;
        double worstBox = 0, worstLandmark = 0, worstDescriptor = 0;
        for (JsonNode image : root.get("images")) {
            String file = image.get("file").asText();
            Rgb rgb = PngDecoder.decode(Fixtures.bytes(file));
            Optional<FaceBox> box = pipeline.detect(rgb);
            JsonNode expected = image.get("face");
            assertEquals(!expected.isNull(), box.isPresent(), file + ": face found");
            if (box.isEmpty()) {
                continue;
            }
            faces++;
            JsonNode eb = expected.get("box");
            double side = Math.max(rgb.width(), rgb.height());
            FaceBox b = box.get();
            worstBox = Math.max(worstBox, max(Math.abs(b.x() - eb.get("x").asDouble()), Math.abs(b.y() - eb.get("y").asDouble()),
                    Math.abs(b.width() - eb.get("width").asDouble()), Math.abs(b.height() - eb.get("height").asDouble())) / side);
            assertEquals(eb.get("score").asDouble(), b.score(), 1e-4, file + " score");

            FacePipeline.Landmarks landmarks = pipeline.landmarks(rgb, b, FacePipeline.Mode.FAST);
            float[] el = Fixtures.floats(expected.get("landmarks"));
            for (int i = 0; i < el.length; i++) {
                worstLandmark = Math.max(worstLandmark, Math.abs(landmarks.points()[i] - el[i]) / side);
            }
            JsonNode ea = expected.get("alignedBox");
            Align.Rect aligned = Align.dlibBox(landmarks.points(), landmarks.faceWidth(), landmarks.faceHeight(),
                    rgb.width(), rgb.height());
            assertEquals(new Align.Rect(ea.get("x").asInt(), ea.get("y").asInt(), ea.get("width").asInt(),
                    ea.get("height").asInt()), aligned, file + " aligned box");

            float[] descriptor = pipeline.describe(rgb, landmarks, FacePipeline.Mode.FAST);
            float[] ed = Fixtures.floats(expected.get("descriptor"));
            for (int i = 0; i < ed.length; i++) {
                worstDescriptor = Math.max(worstDescriptor, Math.abs(descriptor[i] - ed[i]));
            }
        }
        System.out.printf("FAST pipeline vs face-api.js over %d faces: box %.2e, landmarks %.2e (of the side), "
                + "descriptor %.2e%n", faces, worstBox, worstLandmark, worstDescriptor);
        assertTrue(faces >= 61, "faces compared: " + faces);
        assertTrue(worstBox <= 1e-4, "box error " + worstBox);
        assertTrue(worstLandmark <= 1e-4, "landmark error " + worstLandmark);
        assertTrue(worstDescriptor <= 1e-4, "descriptor error " + worstDescriptor);
    }

    private static double max(double... v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
