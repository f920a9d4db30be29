package io.cropsearch.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Reads the committed fixtures under src/test/resources/engine/. */
final class Fixtures {

    private Fixtures() {
    }

    static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/engine/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Object json(String path) {
        return MiniJson.parse(new String(bytes(path), StandardCharsets.UTF_8));
    }

    record Reference(String file, float[] descriptor) {
    }

    @SuppressWarnings("unchecked")
    static List<Reference> referenceDescriptors() {
        Map<String, Object> root = (Map<String, Object>) json("reference-descriptors.json");
        return ((List<Object>) root.get("descriptors")).stream().map(o -> {
            Map<String, Object> m = (Map<String, Object>) o;
            List<Object> d = (List<Object>) m.get("descriptor");
            float[] f = new float[d.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = ((Double) d.get(i)).floatValue();
            }
            return new Reference((String) m.get("file"), f);
        }).toList();
    }

    static Rgb crop(String file) {
        return PngDecoder.decode(bytes("crops/" + file));
    }
}
