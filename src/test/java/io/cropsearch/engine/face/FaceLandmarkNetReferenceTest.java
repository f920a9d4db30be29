package io.cropsearch.engine.face;

import io.cropsearch.engine.Fixtures;
import io.cropsearch.engine.codec.PngDecoder;
import io.cropsearch.engine.codec.Rgb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both landmark nets against face-api.js 0.22.2 on the same PNG pixels (tools/reference/make-landmarks.js): the raw fc
 * outputs within 1e-4, and the positions within 1e-4 of the image's longer side.
 */
class FaceLandmarkNetReferenceTest {

    private static final double TOLERANCE = 1e-4;

    private static FaceLandmarkNet full;
    private static FaceLandmarkNet tiny;
    private static JsonNode reference;

    @BeforeAll
    static void load() {
        full = FaceLandmarkNet.loadFull();
        tiny = FaceLandmarkNet.loadTiny();
        reference = Fixtures.json("reference-landmarks.json");
    }

    @Test
    void fullNetMatchesFaceApiJs() {
        compare(full, "full");
    }

    @Test
    void tinyNetMatchesFaceApiJs() {
        compare(tiny, "tiny");
    }

    private static void compare(FaceLandmarkNet net, String key) {
        JsonNode images = reference.get("images");
        assertTrue(images.size() >= 28, "expected every crop and the three face-api.js test images");
        double worstRaw = 0;
        double worstPos = 0;
        int padded = 0;
        for (JsonNode image : images) {
            String file = image.get("file").asText();
            Rgb rgb = PngDecoder.decode(Fixtures.bytes(file));
            assertEquals(image.get("width").asInt(), rgb.width(), file);
            assertEquals(image.get("height").asInt(), rgb.height(), file);
            padded += rgb.width() != rgb.height() ? 1 : 0;
            float[] rawRef = Fixtures.floats(image.get(key).get("raw"));
            JsonNode posRef = image.get(key).get("positions");
            assertEquals(2 * FaceLandmarkNet.POINTS, rawRef.length, file);

            float[] raw = net.forward(rgb);
            double maxRaw = 0;
            for (int i = 0; i < raw.length; i++) {
                maxRaw = Math.max(maxRaw, Math.abs(raw[i] - rawRef[i]));
            }
            assertTrue(maxRaw <= TOLERANCE, file + " " + key + ": raw max abs error " + maxRaw);

            float[] pos = net.detect(rgb);
            assertEquals(posRef.size(), pos.length, file);
            double side = Math.max(rgb.width(), rgb.height());
            double maxPos = 0;
            for (int i = 0; i < pos.length; i++) {
                maxPos = Math.max(maxPos, Math.abs(pos[i] - posRef.get(i).asDouble()) / side);
            }
            assertTrue(maxPos <= TOLERANCE, file + " " + key + ": position error " + maxPos + " of the side");
            worstRaw = Math.max(worstRaw, maxRaw);
            worstPos = Math.max(worstPos, maxPos);
        }
        assertTrue(padded >= 4, "the padding path must be covered, got " + padded + " non-square images");
        System.out.printf("landmarks %s vs face-api.js over %d images: raw max abs error %.3e, positions %.3e of the"
                + " side%n", key, images.size(), worstRaw, worstPos);
    }

    @Test
    void referencePositionsAreSpreadOverTheFace() {
        // guards against a degenerate reference (all points equal, or outside the image) that a broken port could match
        for (JsonNode image : reference.get("images")) {
            for (String key : new String[] {"full", "tiny"}) {
                JsonNode p = image.get(key).get("positions");
                double minX = Double.MAX_VALUE;
                double maxX = -Double.MAX_VALUE;
                for (int i = 0; i < p.size(); i += 2) {
                    minX = Math.min(minX, p.get(i).asDouble());
                    maxX = Math.max(maxX, p.get(i).asDouble());
                }
                int w = image.get("width").asInt();
                assertTrue(maxX - minX > 0.3 * w && minX > -0.2 * w && maxX < 1.2 * w,
                        image.get("file").asText() + " " + key + ": x range " + minX + ".." + maxX);
            }
        }
    }

    @Test
    void concurrentCallsGiveTheSameResultAsSequentialOnes() throws Exception {
        List<Rgb> faces = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            faces.add(PngDecoder.decode(Fixtures.bytes(reference.get("images").get(i * 7).get("file").asText())));
        }
        List<float[]> expected = new ArrayList<>();
        for (Rgb f : faces) {
            expected.add(full.detect(f));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> got = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (Rgb f : faces) {
                    got.add(pool.submit(() -> full.detect(f)));
                }
            }
            for (int i = 0; i < got.size(); i++) {
                assertArrayEquals(expected.get(i % faces.size()), got.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
    }
}
