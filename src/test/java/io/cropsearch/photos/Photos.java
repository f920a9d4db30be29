package io.cropsearch.photos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** The whole photos of src/test/resources/photos (face-api.js's examples, see the README there). */
public final class Photos {
    public static final Path DIR = Path.of("src/test/resources/photos");

    private Photos() {
    }

    public static byte[] bytes(String file) {
        try {
            return Files.readAllBytes(DIR.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String base64(String file) {
        return Base64.getEncoder().encodeToString(bytes(file));
    }
}
