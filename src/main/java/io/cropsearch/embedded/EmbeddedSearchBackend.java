package io.cropsearch.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.engine.FaceEmbedder;
import io.cropsearch.engine.ImageDecodeException;
import io.cropsearch.engine.ImageDecoder;
import io.cropsearch.engine.Rgb;
import io.cropsearch.errors.ErrorCode;
import io.cropsearch.model.SearchMode;
import io.cropsearch.search.Deadline;
import io.cropsearch.search.SearchBackend;
import io.cropsearch.search.SearchFailure;
import io.cropsearch.search.SearchResult;
import io.cropsearch.validation.SearchImage;
import io.cropsearch.validation.ValidatedSearch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Searches the embedded gallery with the pure-Java face engine: no network, no token needed.
 *
 * <p>FAST: one forward pass per query image, descriptors of several images averaged, persons ranked by their closest
 * enrolled image. ACCURATE: each descriptor is averaged with its mirror image's (query and enrolled side alike), a wider
 * candidate list is re-ranked by the mean over the query images of each one's distance to the person, instead of the
 * distance to the averaged query. docs/EMBEDDED.md shows the measured difference.
 */
@ApplicationScoped
@Typed(EmbeddedSearchBackend.class)
public class EmbeddedSearchBackend implements SearchBackend {
    private static final int RERANK_FACTOR = 3;

    private final Gallery gallery;
    private final ObjectMapper json;
    private final CropSearchConfig.Embedded config;

    public EmbeddedSearchBackend(Gallery gallery, ObjectMapper json, CropSearchConfig config) {
        this.gallery = gallery;
        this.json = json;
        this.config = config.embedded();
    }

    @Override
    public SearchResult search(ValidatedSearch search, String bearerToken, Deadline deadline) {
        long started = System.nanoTime();
        boolean accurate = search.searchMode() == SearchMode.ACCURATE;
        Optional<String> collectionId = search.collectionId().map(this::resolveCollection);
        List<float[]> queries = new ArrayList<>();
        for (int i = 0; i < search.images().size(); i++) {
            Rgb image = decode(i, search.images().get(i));
            queries.add(accurate ? mirrorAveraged(image) : FaceEmbedder.shared().embed(image));
            if (deadline.remaining().isZero()) {
                throw new SearchFailure(504, ErrorCode.TIMEOUT, "search_timeout", null, null, true, 0);
            }
        }
        int limit = search.maxResults().orElse(config.defaultMaxResults());
        double maxDistance = Scores.maxDistanceFor(search.minScore());
        List<Gallery.Match> matches;
        if (accurate) {
            List<Gallery.Match> candidates = gallery.nearest(mean(queries), true, collectionId, Math.max(maxDistance, 1.0),
                    limit * RERANK_FACTOR);
            matches = rerank(candidates, queries).stream().filter(m -> m.distance() <= maxDistance).limit(limit).toList();
        } else {
            matches = gallery.nearest(mean(queries), false, collectionId, maxDistance, limit);
        }
        ArrayNode data = json.createArrayNode();
        for (Gallery.Match match : matches) {
            ObjectNode candidate = data.addObject();
            candidate.put("id", match.person().id());
            candidate.put("name", match.person().name());
            candidate.put("score", Math.round(Scores.fromDistance(match.distance()) * 10_000) / 10_000.0);
            ArrayNode thumbs = candidate.putArray("thumbnails");
            match.person().thumbnails().forEach(t -> thumbs.addObject().put("id", t.id()).put("thumbnail", t.thumbnail()));
        }
        return new SearchResult(Envelope.of(json, data), 0, Duration.ofNanos(System.nanoTime() - started));
    }

    /** The descriptor of an image averaged with its mirror image's, as enrolment stores it for ACCURATE searches. */
    static float[] mirrorAveraged(Rgb image) {
        float[] plain = FaceEmbedder.shared().embed(image);
        float[] mirrored = FaceEmbedder.shared().embed(image.mirrored());
        float[] out = new float[plain.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (plain[i] + mirrored[i]) / 2;
        }
        return out;
    }

    private List<Gallery.Match> rerank(List<Gallery.Match> candidates, List<float[]> queries) {
        List<Gallery.Match> rescored = new ArrayList<>();
        for (Gallery.Match candidate : candidates) {
            List<float[]> enrolled = gallery.descriptors(candidate.person().id(), true);
            double sum = 0;
            for (float[] query : queries) {
                double best = Double.MAX_VALUE;
                for (float[] e : enrolled) {
                    best = Math.min(best, Gallery.distance(query, e));
                }
                sum += best;
            }
            rescored.add(new Gallery.Match(candidate.person(), sum / queries.size()));
        }
        rescored.sort(Comparator.comparingDouble(Gallery.Match::distance));
        return rescored;
    }

    private String resolveCollection(String idOrCode) {
        return gallery.collection(idOrCode).map(FaceCollection::id)
                .orElseThrow(() -> new SearchFailure(404, ErrorCode.NOT_FOUND, "collection_not_found", null, null, false, 0));
    }

    private static Rgb decode(int index, SearchImage image) {
        if (!(image instanceof SearchImage.Inline inline)) {
            throw new SearchFailure(409, ErrorCode.INVALID_PARAMETER, "\"images[" + index
                    + "]\" is a URL; the embedded search backend works offline and needs base64 images", null, null,
                    false, 0);
        }
        try {
            return ImageDecoder.decode(inline.bytes());
        } catch (ImageDecodeException e) {
            throw new SearchFailure(409, ErrorCode.INVALID_PARAMETER, "\"images[" + index
                    + "]\" cannot be decoded by the embedded engine (baseline JPEG and PNG are supported)", null, null,
                    false, 0);
        }
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
