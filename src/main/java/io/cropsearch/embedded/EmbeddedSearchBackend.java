package io.cropsearch.embedded;

import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceBox;
import io.cropsearch.engine.face.FacePipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.errors.ErrorCode;
import io.cropsearch.model.SearchMode;
import io.cropsearch.search.Deadline;
import io.cropsearch.search.SearchBackend;
import io.cropsearch.search.FaceSearchResult;
import io.cropsearch.search.ProbeFace;
import io.cropsearch.search.SearchFailure;
import io.cropsearch.search.SearchResult;
import io.cropsearch.validation.SearchImage;
import io.cropsearch.validation.ValidatedSearch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Searches the embedded gallery with the pure-Java face engine: no network, no token needed.
 *
 * <p>Each query image goes through the face pipeline ({@link FacePipeline}: detect, landmarks, align, describe) in
 * the requested mode; an image without a face is refused (409 {@code NoFaceDetected}) and nothing is searched.
 * Several query images of one person are averaged into one descriptor. Persons are ranked by the distance of their
 * closest enrolled image, among the descriptors enrolment made for the same mode. A whole photo ({@code /search}, an S3
 * photo) is searched by its largest face, as the detector returns it first; the record's {@code faces} says which. docs/EMBEDDED.md shows both modes
 * measured on real photos (tools/evaluation/run.sh).
 */
@ApplicationScoped
@Typed(EmbeddedSearchBackend.class)
public class EmbeddedSearchBackend implements SearchBackend {

    private final Gallery gallery;
    private final ObjectMapper json;
    private final int defaultMaxResults;
    private final int maxSide;
    private final int photoMaxSide;

    @jakarta.inject.Inject
    public EmbeddedSearchBackend(Gallery gallery, ObjectMapper json, CropSearchConfig config) {
        this(gallery, json, config.embedded().defaultMaxResults(), config.limits().maxSidePx(),
                config.limits().photoMaxSidePx());
    }

    /** Without CDI, for the evaluation harness and plain unit tests. */
    EmbeddedSearchBackend(Gallery gallery, ObjectMapper json, int defaultMaxResults, int maxSide) {
        this(gallery, json, defaultMaxResults, maxSide, maxSide);
    }

    EmbeddedSearchBackend(Gallery gallery, ObjectMapper json, int defaultMaxResults, int maxSide, int photoMaxSide) {
        this.gallery = gallery;
        this.json = json;
        this.defaultMaxResults = defaultMaxResults;
        this.maxSide = maxSide;
        this.photoMaxSide = photoMaxSide;
    }

    @Override
    public SearchResult search(ValidatedSearch search, String bearerToken, Deadline deadline) {
        long started = System.nanoTime();
        boolean accurate = search.searchMode() == SearchMode.ACCURATE;
        FacePipeline.Mode mode = accurate ? FacePipeline.Mode.ACCURATE : FacePipeline.Mode.FAST;
        Optional<String> collectionId = search.collectionId().map(this::resolveCollection);
        if (search.allFaces()) {
            return searchAllFaces(search, mode, collectionId, deadline, started);
        }
        List<float[]> descriptors = new ArrayList<>();
        List<ProbeFace> faces = new ArrayList<>();
        for (int i = 0; i < search.images().size(); i++) {
            String field = "images[" + i + "]";
            Rgb image = FaceReader.decode(field, inline(i, search.images().get(i)).bytes(),
                    search.photos() ? photoMaxSide : maxSide);
            FaceBox box = FaceReader.face(field, image);
            FacePipeline pipeline = FacePipeline.shared();
            descriptors.add(pipeline.describe(image, pipeline.landmarks(image, box, mode), mode));
            faces.add(FaceReader.probe(i, box));
            if (deadline.remaining().isZero()) {
                throw new SearchFailure(504, ErrorCode.TIMEOUT, "search_timeout", null, null, true, 0);
            }
        }
        ArrayNode data = candidates(search, mean(descriptors), accurate, collectionId);
        return new SearchResult(Envelope.of(json, data), 0, Duration.ofNanos(System.nanoTime() - started), faces);
    }

    /** The gallery's persons nearest to {@code descriptor}, as a search answer's {@code data}. */
    private ArrayNode candidates(ValidatedSearch search, float[] descriptor, boolean accurate,
                                 Optional<String> collectionId) {
        int limit = search.maxResults().orElse(defaultMaxResults);
        double maxDistance = Scores.maxDistanceFor(search.minScore());
        List<Gallery.Match> matches = gallery.nearest(descriptor, accurate, collectionId, maxDistance, limit);
        ArrayNode data = json.createArrayNode();
        for (Gallery.Match match : matches) {
            ObjectNode candidate = data.addObject();
            candidate.put("id", match.person().id());
            candidate.put("name", match.person().name());
            candidate.put("score", Math.round(Scores.fromDistance(match.distance()) * 10_000) / 10_000.0);
            ArrayNode thumbs = candidate.putArray("thumbnails");
            match.person().thumbnails().forEach(t -> thumbs.addObject().put("id", t.id()).put("thumbnail", t.thumbnail()));
        }
        return data;
    }

    /**
     * One search per face of the (single) image, largest face first: each face's candidates in {@code perFace}, and in
     * {@code data} every person found, once, at their best score, best first (so that the record's top match and the
     * by-person index work as for one face).
     */
    private SearchResult searchAllFaces(ValidatedSearch search, FacePipeline.Mode mode, Optional<String> collectionId,
                                        Deadline deadline, long started) {
        List<ProbeFace> faces = new ArrayList<>();
        List<FaceSearchResult> perFace = new ArrayList<>();
        java.util.Map<String, ObjectNode> best = new java.util.LinkedHashMap<>();
        FacePipeline pipeline = FacePipeline.shared();
        for (int i = 0; i < search.images().size(); i++) {
            String field = "images[" + i + "]";
            Rgb image = FaceReader.decode(field, inline(i, search.images().get(i)).bytes(),
                    search.photos() ? photoMaxSide : maxSide);
            List<FaceBox> boxes = pipeline.detectAll(image);
            if (boxes.isEmpty()) {
                FaceReader.face(field, image); // the search's own refusal of a faceless image
            }
            for (FaceBox box : boxes) {
                if (deadline.remaining().isZero()) {
                    throw new SearchFailure(504, ErrorCode.TIMEOUT, "search_timeout", null, null, true, 0);
                }
                float[] descriptor = pipeline.describe(image, pipeline.landmarks(image, box, mode), mode);
                ArrayNode data = candidates(search, descriptor, mode == FacePipeline.Mode.ACCURATE, collectionId);
                ProbeFace face = FaceReader.probe(i, box);
                faces.add(face);
                perFace.add(new FaceSearchResult(face, data));
                for (com.fasterxml.jackson.databind.JsonNode candidate : data) {
                    ObjectNode known = best.get(candidate.path("id").asText());
                    if (known == null || known.path("score").asDouble() < candidate.path("score").asDouble()) {
                        best.put(candidate.path("id").asText(), (ObjectNode) candidate);
                    }
                }
            }
        }
        ArrayNode merged = json.createArrayNode();
        best.values().stream()
                .sorted(java.util.Comparator.comparingDouble((ObjectNode c) -> c.path("score").asDouble()).reversed())
                .forEach(merged::add);
        return new SearchResult(Envelope.of(json, merged), 0, Duration.ofNanos(System.nanoTime() - started), faces,
                perFace);
    }

    private String resolveCollection(String idOrCode) {
        return gallery.collection(idOrCode).map(FaceCollection::id)
                .orElseThrow(() -> new SearchFailure(404, ErrorCode.NOT_FOUND, "collection_not_found", null, null, false, 0));
    }

    private static SearchImage.Inline inline(int index, SearchImage image) {
        if (!(image instanceof SearchImage.Inline inline)) {
            throw new SearchFailure(409, ErrorCode.INVALID_PARAMETER, "\"images[" + index
                    + "]\" is a URL; the embedded search backend works offline and needs base64 images", null, null,
                    false, 0);
        }
        return inline;
    }

    static float[] mean(List<float[]> descriptors) {
        float[] out = new float[descriptors.get(0).length];
        for (float[] d : descriptors) {
            for (int i = 0; i < out.length; i++) {
                out[i] += d[i] / descriptors.size();
            }
        }
        return out;
    }
}
