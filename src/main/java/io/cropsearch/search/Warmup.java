package io.cropsearch.search;

import io.cropsearch.validation.CropSearchValidator;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Base64;

/**
 * Moves one-off costs off the first request: class loading and JIT of the validation path (JSON parsing, base64,
 * image header parsing) run once at start-up, on an embedded 16x16 PNG. No network call is made. On SnapStart this
 * runs before the snapshot, so restored environments start warm.
 */
public class Warmup {
    private static final Logger LOG = Logger.getLogger(Warmup.class);
    /** A 16x16 grey PNG: the smallest crop the contract accepts. */
    private static final String PNG_16 = "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFElEQVR42mNoIBEwjGoY1TB8NQAAJYSAELxv8c8AAAAASUVORK5CYII=";

    void onStart(@Observes StartupEvent event, CropSearchValidator validator, SearchBackends backends,
                 com.fasterxml.jackson.databind.ObjectMapper json) {
        long started = System.nanoTime();
        try {
            String body = "{\"images\":[\"" + PNG_16 + "\"],\"collection_id\":\"warmup\",\"max_results\":1,"
                    + "\"min_score\":0.7,\"search_mode\":\"FAST\"}";
            var search = validator.validateJson(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Base64.getDecoder().decode(PNG_16);
            if (backends.isEmbedded()) {
                // The weights (6 MB) and the network's buffers: loaded here, not by the first search.
                io.cropsearch.engine.FaceEmbedder.shared().embed(Base64.getDecoder().decode(PNG_16));
            } else {
                json.writeValueAsBytes(io.cropsearch.search.verifik.UpstreamSearchBody.of(search));
            }
            LOG.debugf("warm-up took %d ms", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            // Warm-up is an optimisation only; a failure here must never stop the function from starting.
            LOG.warnf("warm-up failed: %s", e.getClass().getName());
        }
    }
}
