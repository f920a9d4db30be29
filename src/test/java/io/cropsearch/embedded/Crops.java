package io.cropsearch.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;

/** The committed fixture crops (tools/reference/make-crops.js) read from the test classpath. */
final class Crops {
    private Crops() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Crops.class.getResourceAsStream("/engine/crops/" + name + ".png")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture crop " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String base64(String name) {
        return Base64.getEncoder().encodeToString(bytes(name));
    }
}
