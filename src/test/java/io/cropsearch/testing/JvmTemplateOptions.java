package io.cropsearch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The {@code JAVA_TOOL_OPTIONS} that infra/template-jvm.yaml deploys for a backend, for the harnesses that start the
 * packaged function as Lambda would (the packaged-artifact tests, the start-up benchmark): what is run is what is
 * deployed. The template's value is an {@code !If} on the backend, which plain Jackson YAML reads as
 * [condition, embedded's, Verifik's].
 */
public final class JvmTemplateOptions {
    private JvmTemplateOptions() {
    }

    /** The options with the template's {@code /var/task} paths pointed at {@code taskRoot}, the unzipped function. */
    public static String forBackend(boolean embedded, Path taskRoot) {
        try {
            JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(Path.of("infra/template-jvm.yaml").toFile())
                    .path("Resources").path("CropSearchFunction").path("Properties").path("Environment")
                    .path("Variables").path("JAVA_TOOL_OPTIONS");
            String options = node.isArray() ? node.path(embedded ? 1 : 2).asText("") : node.asText("");
            if (options.isBlank()) {
                throw new IllegalStateException("infra/template-jvm.yaml sets no JAVA_TOOL_OPTIONS for this backend");
            }
            return options.replace("/var/task", taskRoot.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
