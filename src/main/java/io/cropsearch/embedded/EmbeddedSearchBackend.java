package io.cropsearch.embedded;

import io.cropsearch.engine.codec.ImageDecodeException;
import io.cropsearch.engine.codec.ImageDecoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceEmbedder;


import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.config.CropSearchConfig;
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
 * enrolled image. ACCURATE: two passes per query image (the image and its mirror image); a wider candidate list, drawn
 * with the mirror-averaged descriptors, is re-ranked by {@link #accurateDistance}. docs/EMBEDDED.md shows the measured
 * difference (tools/evaluation/run.sh).
 */
@ApplicationScoped
@Typed(EmbeddedSearchBackend.class)
public class EmbeddedSearchBackend implements SearchBackend {
    private static final int RERANK_FACTOR = 3;

    private final Gallery gallery;
    private final ObjectMapper json;
    private final int defaultMaxResults;

    @jakarta.inject.Inject
    public EmbeddedSearchBackend(Gallery gallery, ObjectMapper json, CropSearchConfig config) {
        this(gallery, json, config.embedded().defaultMaxResults());
    }

    /** Without CDI, for the evaluation harness and plain unit tests. */
    EmbeddedSearchBackend(Gallery gallery, ObjectMapper json, int defaultMaxResults) {
        this.gallery = gallery;
        this.json = json;
        this.defaultMaxResults = defaultMaxResults;
    }

    @Override
    public SearchResult search(ValidatedSearch search, String bearerToken, Deadline deadline) {
        long started = System.nanoTime();
        boolean accurate = search.searchMode() == SearchMode.ACCURATE;
        Optional<String> collectionId = search.collectionId().map(this::resolveCollection);
        List<float[][]> queries = new ArrayList<>();
        for (int i = 0; i < search.images().size(); i++) {
            Rgb image = decode(i, search.images().get(i));
            queries.add(accurate ? views(image) : new float[][] {FaceEmbedder.shared().embed(image)});
            if (deadline.remaining().isZero()) {
                throw new SearchFailure(504, ErrorCode.TIMEOUT, "search_timeout", null, null, true, 0);
            }
        }
        int limit = search.maxResults().orElse(defaultMaxResults);
        double maxDistance = Scores.maxDistanceFor(search.minScore());
        List<Gallery.Match> matches;
        if (accurate) {
            List<float[]> averaged = queries.stream().map(v -> mean(List.of(v[0], v[1]))).toList();
            List<Gallery.Match> candidates = gallery.nearest(mean(averaged), true, collectionId,
                    Math.max(maxDistance, 1.0), limit * RERANK_FACTOR);
            matches = rerank(candidates, queries).stream().filter(m -> m.distance() <= maxDistance).limit(limit).toList();
        } else {
            matches = gallery.nearest(mean(queries.stream().map(v -> v[0]).toList()), false, collectionId, maxDistance,
                    limit);
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

    /** The plain descriptor of an image and its mirror image's: the two views ACCURATE compares. */
    static float[][] views(Rgb image) {
        return new float[][] {FaceEmbedder.shared().embed(image), FaceEmbedder.shared().embed(image.mirrored())};
    }

    /**
     * ACCURATE's distance between a query image (its two views) and one enrolled image (plain and mirror-averaged
     * descriptors, as enrolment stores them; the mirror view is recovered as {@code 2 * mirrorAveraged - plain}).
     *
     * <p>The views are compared pairwise, in the same orientation and crossed, and the better pairing's mean distance
     * counts. Averaging distances rather than descriptors keeps FAST's distance scale, so a score means the same in
     * both modes: averaged descriptors pull different people together too (their median distance fell from 0.56 to
     * 0.49 on the evaluation set) and ranked no better. The crossed pairing makes a mirrored query as close as the
     * original. Chosen on a tuning set of synthetic variants separate from the reported ones (AccurateTuning).
     */
    static double accurateDistance(float[] plain, float[] mirror, float[] enrolledPlain, float[] enrolledAveraged) {
        float[] enrolledMirror = new float[enrolledPlain.length];
        for (int i = 0; i < enrolledMirror.length; i++) {
            enrolledMirror[i] = 2 * enrolledAveraged[i] - enrolledPlain[i];
        }
        double same = Gallery.distance(plain, enrolledPlain) + Gallery.distance(mirror, enrolledMirror);
        double crossed = Gallery.distance(plain, enrolledMirror) + Gallery.distance(mirror, enrolledPlain);
        return Math.min(same, crossed) / 2;
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

    /** Each candidate's distance: per query image the closest enrolled image, then the mean over query images. */
    private List<Gallery.Match> rerank(List<Gallery.Match> candidates, List<float[][]> queries) {
        List<Gallery.Match> rescored = new ArrayList<>();
        for (Gallery.Match candidate : candidates) {
            List<float[]> plain = gallery.descriptors(candidate.person().id(), false);
            List<float[]> averaged = gallery.descriptors(candidate.person().id(), true);
            double sum = 0;
            for (float[][] query : queries) {
                double best = Double.MAX_VALUE;
                for (int e = 0; e < plain.size(); e++) {
                    best = Math.min(best, accurateDistance(query[0], query[1], plain.get(e), averaged.get(e)));
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
