package io.cropsearch.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real-photo evaluation set (tools/reference/make-eval.js): five photos each of eight people from face-api.js's
 * examples, cut with the fixture crop convention, and images that hold no face.
 */
final class RealPhotos {
    static final Path DIR = Path.of("src/test/resources/engine/eval");
    private static final Pattern CROP = Pattern.compile("([a-z]+)(\\d+)\\.png");

    private RealPhotos() {
    }

    /** One photo: whose, which of theirs (1-5), and its bytes as a caller would send them. */
    record Photo(String person, int index, String file, byte[] bytes) {
        String name() {
            return person + index;
        }
    }

    /** Every crop, by person then index. */
    static List<Photo> crops() {
        List<Photo> out = new ArrayList<>();
        for (Path p : list(DIR.resolve("crops"))) {
            Matcher m = CROP.matcher(p.getFileName().toString());
            if (m.matches()) {
                out.add(new Photo(m.group(1), Integer.parseInt(m.group(2)), p.getFileName().toString(), read(p)));
            }
        }
        out.sort(Comparator.comparing(Photo::person).thenComparingInt(Photo::index));
        return out;
    }

    /** Images without a face: white, flat colours, noise, textures, backgrounds of group photos. */
    static List<Photo> noFace() {
        List<Photo> out = new ArrayList<>();
        for (Path p : list(DIR.resolve("noface"))) {
            String name = p.getFileName().toString();
            if (name.endsWith(".png") || name.endsWith(".jpg")) {
                out.add(new Photo("noface", 0, name, read(p)));
            }
        }
        return out;
    }

    private static List<Path> list(Path dir) {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
