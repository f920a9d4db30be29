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
 * A real gallery file with one enrolled crop per identity of the fixture set, enrolled through {@link Enrolment} and
 * searched through {@link EmbeddedSearchBackend}: the code paths the function runs, without CDI or HTTP.
 */
final class EvaluationGallery implements AutoCloseable {
    /** The 22 distinct faces of the demo photos, one fixed-convention crop each (crops-manifest.json, kind square). */
    static final List<String> IDENTITIES = List.of(
            "sample1-face1", "sample1-face2", "sample1-face3",
            "sample2-face1", "sample2-face2", "sample2-face3",
            "sample3-face1", "sample3-face2", "sample3-face3",
            "sample4-face1", "sample4-face2", "sample4-face3", "sample4-face4",
            "sample5-face1", "sample5-face2", "sample5-face3", "sample5-face4", "sample5-face5",
            "sample6-face1", "sample6-face2", "sample6-face3", "sample6-face4");

    /**
     * Real (not synthetic) second crops: the make-crops.js cut of a smaller rectangle of the same face, which the
     * engine pads back to a square, so the face sits in a different frame.
     */
    static final Map<String, String> ALTERNATE_CROPS = Map.of(
            "sample1-face1-wide", "sample1-face1",
            "sample1-face2-wide-odd", "sample1-face2",
            "sample1-face3-tall-odd", "sample1-face3");

    private final Path file;
    final Gallery gallery;
    final EmbeddedSearchBackend backend;
    /** Identity name to enrolled person id. */
    final Map<String, String> ids = new LinkedHashMap<>();
    final Map<String, Rgb> images = new LinkedHashMap<>();

    private EvaluationGallery(Path file) {
        this.file = file;
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        this.gallery = new Gallery(new FileGalleryStore(file, json), Duration.ZERO);
        CropSearchConfig config = config();
        this.backend = new EmbeddedSearchBackend(gallery, json, config.embedded().defaultMaxResults());
        Enrolment enrolment = new Enrolment(gallery, config);
        for (String identity : IDENTITIES) {
            byte[] bytes = Crops.bytes(identity);
            Rgb image = ImageDecoder.decode(bytes);
            images.put(identity, image);
            Person person = enrolment.enrol(new ValidatedPerson(identity,
                    List.of(new SearchImage.Inline(bytes, ImageFormat.PNG, image.width(), image.height())), null, null,
                    null, List.of(), null));
            ids.put(identity, person.id());
        }
    }

    static EvaluationGallery enrolAll() {
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

    /** One probe through the real search at the contract's loosest {@code min_score}, every identity allowed. */
    Ranked search(byte[] probe, SearchMode mode) {
        return search(List.of(probe), mode);
    }

    /** Several query images of one person in one search, as the contract allows (up to 3). */
    Ranked search(List<byte[]> probes, SearchMode mode) {
        List<SearchImage> images = new ArrayList<>();
        for (byte[] probe : probes) {
            Rgb decoded = ImageDecoder.decode(probe);
            ImageFormat format = (probe[0] & 0xFF) == 0xFF ? ImageFormat.JPEG : ImageFormat.PNG;
            images.add(new SearchImage.Inline(probe, format, decoded.width(), decoded.height()));
        }
        ValidatedSearch search = new ValidatedSearch(images, Optional.empty(), Optional.of(IDENTITIES.size()), 0.5, mode);
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

    /** The enrolled descriptor of an identity that a search in {@code mode} compares against. */
    float[] enrolled(String identity, SearchMode mode) {
        return gallery.descriptors(ids.get(identity), mode == SearchMode.ACCURATE).get(0);
    }

    /** A config with the defaults of {@link CropSearchConfig.Embedded}; only the embedded section is read. */
    private static CropSearchConfig config() {
        CropSearchConfig.Embedded embedded = (CropSearchConfig.Embedded) Proxy.newProxyInstance(
                CropSearchConfig.class.getClassLoader(), new Class<?>[] {CropSearchConfig.Embedded.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "defaultMaxResults" -> 10;
                    case "thumbnailSize" -> 64;
                    case "galleryFile" -> "unused";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (CropSearchConfig) Proxy.newProxyInstance(CropSearchConfig.class.getClassLoader(),
                new Class<?>[] {CropSearchConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("embedded")) {
                        return embedded;
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
