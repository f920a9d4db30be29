package io.cropsearch.search.verifik;

import io.cropsearch.search.Deadline;
import io.cropsearch.search.SearchBackend;
import io.cropsearch.search.SearchResult;
import io.cropsearch.validation.ValidatedSearch;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

/**
 * Crop search through {@link VerifikUpstream}'s {@code /search/crops} policy, and the standard search of whole photos
 * through its {@code /search} policy (same body; the upstream finds the face).
 */
@ApplicationScoped
@Typed(VerifikSearchBackend.class)
public class VerifikSearchBackend implements SearchBackend {
    private final VerifikUpstream upstream;

    public VerifikSearchBackend(VerifikUpstream upstream) {
        this.upstream = upstream;
    }

    /** Start-up priming of the client stack; see {@link VerifikUpstream#prime}. */
    public void prime(ValidatedSearch sample) {
        upstream.prime(upstream.serialised(UpstreamSearchBody.of(sample)));
    }

    @Override
    public SearchResult search(ValidatedSearch search, String bearerToken, Deadline deadline) {
        if (search.allFaces()) {
            // The upstream's /search searches one face per photo and says neither which nor where; searching each face
            // would take /detect plus a local crop per face, which this backend does not do. A final refusal, so that
            // the upload's record says why instead of silently searching one face.
            throw new io.cropsearch.search.SearchFailure(409, io.cropsearch.errors.ErrorCode.INVALID_PARAMETER,
                    "\"all_faces\" needs the embedded backend: the Verifik backend searches one face per photo", null,
                    null, false, 0);
        }
        VerifikEndpoint endpoint = search.photos() ? VerifikEndpoint.SEARCH : VerifikEndpoint.SEARCH_CROPS;
        return upstream.send(endpoint, UpstreamSearchBody.of(search), bearerToken, deadline);
    }

    /** The crop-search breaker's state, for logs and tests. */
    public CircuitBreakerState circuitState() {
        return upstream.circuitState(VerifikEndpoint.SEARCH_CROPS);
    }
}
