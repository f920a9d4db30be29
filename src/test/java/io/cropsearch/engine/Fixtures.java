package io.cropsearch.engine;

import io.cropsearch.engine.codec.PngDecoder;
import io.cropsearch.engine.codec.Rgb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the committed fixtures under src/test/resources/engine/. */
public final class Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    public static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/engine/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String path) {
        try {
            return JSON.readTree(bytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static float[] floats(JsonNode array) {
        float[] f = new float[array.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) array.get(i).asDouble();
        }
        return f;
    }

    public record Reference(String file, float[] descriptor) {
    }

    public static List<Reference> referenceDescriptors() {
        List<Reference> out = new ArrayList<>();
        for (JsonNode m : json("reference-descriptors.json").get("descriptors")) {
            out.add(new Reference(m.get("file").asText(), floats(m.get("descriptor"))));
        }
        return out;
    }

    public static Rgb crop(String file) {
        return PngDecoder.decode(bytes("crops/" + file));
    }
}
