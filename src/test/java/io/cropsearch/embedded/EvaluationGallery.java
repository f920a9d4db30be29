package io.cropsearch.embedded;

import io.cropsearch.engine.codec.ImageDecoder;
import io.cropsearch.engine.codec.Rgb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.model.SearchMode;
import io.cropsearch.search.Deadline;
import io.cropsearch.validation.ImageFormat;
import io.cropsearch.validation.SearchImage;
import io.cropsearch.validation.ValidatedPerson;
import io.cropsearch.validation.ValidatedSearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real gallery file with one enrolled image per person, enrolled through {@link Enrolment} and searched through
 * {@link EmbeddedSearchBackend}: the code paths the function runs, without CDI or HTTP.
 */
final class EvaluationGallery implements AutoCloseable {

    private final Path file;
    final Gallery gallery;
    final EmbeddedSearchBackend backend;
    final Enrolment enrolment;
    /** Person name to enrolled person id, in enrolment order. */
    final Map<String, String> ids = new LinkedHashMap<>();

    private EvaluationGallery(Path file) {
        this.file = file;
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        this.gallery = new Gallery(new FileGalleryStore(file, json), Duration.ZERO);
        CropSearchConfig config = config();
        this.backend = new EmbeddedSearchBackend(gallery, json, config.embedded().defaultMaxResults(),
                config.limits().maxSidePx());
        this.enrolment = new Enrolment(gallery, config);
    }

    /** Enrols one image per person (name to image bytes), through the real enrolment. */
    static EvaluationGallery enrol(Map<String, byte[]> persons) {
        EvaluationGallery g = empty();
        persons.forEach((name, bytes) -> g.ids.put(name, g.enrolment.enrol(new ValidatedPerson(name,
                List.of(inline(bytes)), null, null, null, List.of(), null)).id()));
        return g;
    }

    static SearchImage.Inline inline(byte[] bytes) {
        Rgb decoded = ImageDecoder.decode(bytes);
        ImageFormat format = (bytes[0] & 0xFF) == 0xFF ? ImageFormat.JPEG : ImageFormat.PNG;
        return new SearchImage.Inline(bytes, format, decoded.width(), decoded.height());
    }

    static EvaluationGallery empty() {
        try {
            Path dir = Files.createTempDirectory("evaluation-gallery");
            return new EvaluationGallery(dir.resolve("gallery.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A ranked answer: person names with their scores, best first. */
    record Ranked(List<String> names, List<Double> scores, long nanos) {
        Optional<String> top() {
            return names.isEmpty() ? Optional.empty() : Optional.of(names.get(0));
        }

        /** 1-based rank of {@code name}, or 0 when it is not in the answer. */
        int rankOf(String name) {
            return names.indexOf(name) + 1;
        }
    }

    /** One probe through the real search at the contract's loosest {@code min_score}, every person allowed. */
    Ranked search(byte[] probe, SearchMode mode) {
        ValidatedSearch search = new ValidatedSearch(List.of(inline(probe)), Optional.empty(),
                Optional.of(Math.max(1, ids.size())), 0.5, mode);
        long started = System.nanoTime();
        JsonNode body = backend.search(search, null, Deadline.after(Duration.ofMinutes(1))).body();
        long nanos = System.nanoTime() - started;
        List<String> names = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (JsonNode candidate : body.get("data")) {
            names.add(candidate.get("name").asText());
            scores.add(candidate.get("score").asDouble());
        }
        return new Ranked(names, scores, nanos);
    }

    /** A config with the defaults of the embedded and limits sections; nothing else is read. */
    static CropSearchConfig config() {
        CropSearchConfig.Embedded embedded = (CropSearchConfig.Embedded) Proxy.newProxyInstance(
                CropSearchConfig.class.getClassLoader(), new Class<?>[] {CropSearchConfig.Embedded.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "defaultMaxResults" -> 10;
                    case "thumbnailSize" -> 64;
                    case "galleryFile" -> "unused";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        CropSearchConfig.Limits limits = (CropSearchConfig.Limits) Proxy.newProxyInstance(
                CropSearchConfig.class.getClassLoader(), new Class<?>[] {CropSearchConfig.Limits.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "maxSidePx" -> 1024;
                    case "photoMaxSidePx" -> 4096;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (CropSearchConfig) Proxy.newProxyInstance(CropSearchConfig.class.getClassLoader(),
                new Class<?>[] {CropSearchConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("embedded")) {
                        return embedded;
                    }
                    if (method.getName().equals("limits")) {
                        return limits;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Override
    public void close() {
        try (var paths = Files.walk(file.getParent())) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
