package io.cropsearch.search.verifik;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.search.Deadline;
import io.cropsearch.search.DetectBackend;
import io.cropsearch.search.SearchResult;
import io.cropsearch.validation.ValidatedDetect;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

/**
 * Face detection through {@link VerifikUpstream}'s {@code /detect} policy: the validated image (raw base64 or the https
 * URL the upstream downloads) and both flags are forwarded; the upstream's answer, attributes included when asked for,
 * reaches the caller as received.
 */
@ApplicationScoped
@Typed(VerifikDetectBackend.class)
public class VerifikDetectBackend implements DetectBackend {
    private final VerifikUpstream upstream;
    private final ObjectMapper json;

    public VerifikDetectBackend(VerifikUpstream upstream, ObjectMapper json) {
        this.upstream = upstream;
        this.json = json;
    }

    @Override
    public SearchResult detect(ValidatedDetect request, String bearerToken, Deadline deadline) {
        ObjectNode body = json.createObjectNode();
        body.put("image", request.image().upstreamValue());
        body.put("return_landmarks", request.returnLandmarks());
        body.put("return_attributes", request.returnAttributes());
        return upstream.send(VerifikEndpoint.DETECT, body, bearerToken, deadline);
    }
}
