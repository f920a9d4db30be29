package io.cropsearch.search.verifik;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.match.MatchBackend;
import io.cropsearch.search.Deadline;
import io.cropsearch.search.SearchResult;
import io.cropsearch.validation.SearchImage;
import io.cropsearch.validation.ValidatedCompare;
import io.cropsearch.validation.ValidatedVerify;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import java.util.List;

/**
 * Verify and compare through {@link VerifikUpstream}'s {@code /verify} and {@code /compare} policies (each its own
 * retry and circuit breaker). The upstream receives only validated fields, images as raw base64; its success body
 * reaches the caller unchanged, and its errors are judged by {@link VerifikUpstream} like every upstream answer.
 */
@ApplicationScoped
@Typed(VerifikMatchBackend.class)
public class VerifikMatchBackend implements MatchBackend {
    private final VerifikUpstream upstream;
    private final ObjectMapper json;

    public VerifikMatchBackend(VerifikUpstream upstream, ObjectMapper json) {
        this.upstream = upstream;
        this.json = json;
    }

    @Override
    public SearchResult verify(ValidatedVerify request, String bearerToken, Deadline deadline) {
        ObjectNode body = json.createObjectNode();
        body.put("id", request.personId());
        images(body.putArray("images"), request.images());
        request.collectionId().ifPresent(c -> body.put("collection_id", c));
        body.put("min_score", request.minScore());
        body.put("search_mode", request.searchMode().name());
        return upstream.send(VerifikEndpoint.VERIFY, body, bearerToken, deadline);
    }

    @Override
    public SearchResult compare(ValidatedCompare request, String bearerToken, Deadline deadline) {
        ObjectNode body = json.createObjectNode();
        images(body.putArray("probe"), request.probe());
        images(body.putArray("gallery"), request.gallery());
        body.put("search_mode", request.searchMode().name());
        request.compareMinScore().ifPresent(t -> body.put("compare_min_score", t));
        return upstream.send(VerifikEndpoint.COMPARE, body, bearerToken, deadline);
    }

    private static void images(ArrayNode into, List<SearchImage.Inline> images) {
        images.forEach(image -> into.add(image.upstreamValue()));
    }
}
