package io.cropsearch.fuzz;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The committed inputs of one fuzz target, {@code src/test/resources/fuzz/<target>/}: the seeds fuzzing starts from,
 * and the inputs every normal test run replays. Inputs a fuzzing run found are added there too.
 */
final class Corpus {

    private Corpus() {
    }

    static Stream<Arguments> of(String target) {
        URL url = Corpus.class.getResource("/fuzz/" + target);
        if (url == null) {
            throw new IllegalStateException("no corpus on the classpath at fuzz/" + target);
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
            if (sorted.isEmpty()) {
                throw new IllegalStateException("empty corpus fuzz/" + target);
            }
            return sorted.stream().map(file -> Arguments.of(Named.of(file.getFileName().toString(), read(file))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
