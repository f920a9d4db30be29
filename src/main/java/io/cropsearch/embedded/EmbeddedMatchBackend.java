package io.cropsearch.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceBox;
import io.cropsearch.engine.face.FacePipeline;
import io.cropsearch.errors.ErrorCode;
import io.cropsearch.match.MatchBackend;
import io.cropsearch.model.SearchMode;
import io.cropsearch.search.Deadline;
import io.cropsearch.search.ProbeFace;
import io.cropsearch.search.SearchFailure;
import io.cropsearch.search.SearchResult;
import io.cropsearch.validation.SearchImage;
import io.cropsearch.validation.ValidatedCompare;
import io.cropsearch.validation.ValidatedVerify;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Verify and compare with the embedded face engine, scored exactly as a search scores a person, so that a
 * {@code min_score} means the same on every endpoint: the submitted images' descriptors (of each image's largest
 * face, in the requested mode) are averaged into one, and its distance {@code d} to the other side is that of the
 * closest image there; {@code score = 1 - d/2} ({@link Scores}). For verify the other side is the person's enrolled
 * descriptors of the same mode; for compare it is the {@code gallery} images. An image without a face is 409
 * {@code NoFaceDetected}, as everywhere.
 */
@ApplicationScoped
@Typed(EmbeddedMatchBackend.class)
public class EmbeddedMatchBackend implements MatchBackend {
    private final Gallery gallery;
    private final ObjectMapper json;
    private final int maxSide;

    public EmbeddedMatchBackend(Gallery gallery, ObjectMapper json, CropSearchConfig config) {
        this.gallery = gallery;
        this.json = json;
        this.maxSide = config.limits().photoMaxSidePx();
    }

    /**
     * 200 with {@code data.match} (the person, as Verifik documents it) when the score reaches {@code min_score};
     * 200 with {@code data.match: null} and {@code data.score} otherwise. An unknown person, or one outside
     * {@code collection_id}, is 404 {@code person_not_found}; an unknown collection 404 {@code collection_not_found}.
     * Both are decided before any image is described.
     */
    @Override
    public SearchResult verify(ValidatedVerify request, String bearerToken, Deadline deadline) {
        long started = System.nanoTime();
        boolean accurate = request.searchMode() == SearchMode.ACCURATE;
        Optional<String> collection = request.collectionId().map(idOrCode -> gallery.collection(idOrCode)
                .map(FaceCollection::id)
                .orElseThrow(() -> notFound("collection_not_found")));
        Person person = gallery.person(request.personId())
                .filter(p -> collection.isEmpty() || p.collections().contains(collection.get()))
                .orElseThrow(() -> notFound("person_not_found"));
        List<ProbeFace> faces = new ArrayList<>();
        float[] query = EmbeddedSearchBackend.mean(describeAll("images", request.images(), request.searchMode(),
                deadline, faces));
        // Read after the slow part: a person deleted meanwhile has no descriptors left and is not found.
        List<float[]> enrolled = gallery.descriptors(person.id(), accurate);
        if (enrolled.isEmpty()) {
            throw notFound("person_not_found");
        }
        double distance = closest(query, enrolled);
        ObjectNode data = json.createObjectNode();
        if (distance <= Scores.maxDistanceFor(request.minScore())) {
            ObjectNode match = data.putObject("match");
            match.put("id", person.id());
            match.put("name", person.name());
            match.put("score", rounded(distance));
            match.put("gender", person.gender());
            match.put("date_of_birth", person.dateOfBirth());
            ArrayNode thumbs = match.putArray("thumbnails");
            person.thumbnails().forEach(t -> thumbs.addObject().put("id", t.id()).put("thumbnail", t.thumbnail()));
            ArrayNode collections = match.putArray("collections");
            person.collections().forEach(collections::add);
        } else {
            data.putNull("match");
            data.put("score", rounded(distance));
        }
        return new SearchResult(Envelope.of(json, data), 0, Duration.ofNanos(System.nanoTime() - started), faces);
    }

    /**
     * 200 with {@code data.score}; with a {@code compare_min_score}, also {@code data.compare_min_score} and
     * {@code data.passed} (the score reaches it).
     */
    @Override
    public SearchResult compare(ValidatedCompare request, String bearerToken, Deadline deadline) {
        long started = System.nanoTime();
        List<ProbeFace> faces = new ArrayList<>();
        float[] probe = EmbeddedSearchBackend.mean(describeAll("probe", request.probe(), request.searchMode(),
                deadline, faces));
        List<float[]> other = describeAll("gallery", request.gallery(), request.searchMode(), deadline,
                new ArrayList<>());
        double distance = closest(probe, other);
        ObjectNode data = json.createObjectNode();
        data.put("score", rounded(distance));
        request.compareMinScore().ifPresent(threshold -> {
            data.put("compare_min_score", threshold);
            data.put("passed", distance <= Scores.maxDistanceFor(threshold));
        });
        return new SearchResult(Envelope.of(json, data), 0, Duration.ofNanos(System.nanoTime() - started), faces);
    }

    /** Each image's largest face, described in {@code mode}; the faces found are added to {@code faces}. */
    private List<float[]> describeAll(String field, List<SearchImage.Inline> images, SearchMode searchMode,
                                      Deadline deadline, List<ProbeFace> faces) {
        FacePipeline.Mode mode = searchMode == SearchMode.ACCURATE ? FacePipeline.Mode.ACCURATE : FacePipeline.Mode.FAST;
        FacePipeline pipeline = FacePipeline.shared();
        List<float[]> descriptors = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            String item = field + "[" + i + "]";
            Rgb image = FaceReader.decode(item, images.get(i).bytes(), maxSide);
            FaceBox box = FaceReader.face(item, image);
            descriptors.add(pipeline.describe(image, pipeline.landmarks(image, box, mode), mode));
            faces.add(FaceReader.probe(i, box));
            if (deadline.remaining().isZero()) {
                throw new SearchFailure(504, ErrorCode.TIMEOUT, "search_timeout", null, null, true, 0);
            }
        }
        return descriptors;
    }

    private static double closest(float[] query, List<float[]> others) {
        double best = Double.MAX_VALUE;
        for (float[] other : others) {
            best = Math.min(best, Gallery.distance(query, other));
        }
        return best;
    }

    /** Four decimals, as search results show scores. */
    private static double rounded(double distance) {
        return Math.round(Scores.fromDistance(distance) * 10_000) / 10_000.0;
    }

    private static SearchFailure notFound(String message) {
        return new SearchFailure(404, ErrorCode.NOT_FOUND, message, null, null, false, 0);
    }
}
