package io.cropsearch.search;

import io.cropsearch.engine.codec.JpegEncoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FacePipeline;
import io.cropsearch.validation.CropSearchValidator;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Moves one-off costs off the first request: class loading and JIT of the validation path (JSON parsing, base64,
 * PNG and JPEG header parsing) on tiny embedded images, then either the embedded engine (weights loaded, one pass) or
 * the Verifik client stack (see {@code VerifikSearchBackend.prime}). Nothing reaches the upstream. On SnapStart this
 * runs before the snapshot, so restored environments start warm. The embedded gallery's load is started here too, in
 * the background ({@link io.cropsearch.embedded.GalleryPreload}: after the restore under SnapStart).
 */
public class Warmup {
    private static final Logger LOG = Logger.getLogger(Warmup.class);
    /** A 16x16 grey PNG: the smallest crop the contract accepts. */
    private static final String PNG_16 = "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFElEQVR42mNoIBEwjGoY1TB8NQAAJYSAELxv8c8AAAAASUVORK5CYII=";

    /** An init that no caller waits for: before a SnapStart snapshot, or for provisioned concurrency. */
    static boolean offTheRequestPath(String initType) {
        return "snap-start".equals(initType) || "provisioned-concurrency".equals(initType);
    }

    void onStart(@Observes StartupEvent event, CropSearchValidator validator, SearchBackends backends,
                 jakarta.enterprise.inject.Instance<io.cropsearch.search.verifik.VerifikSearchBackend> verifik,
                 jakarta.enterprise.inject.Instance<io.cropsearch.embedded.GalleryPreload> galleryPreload) {
        long started = System.nanoTime();
        // Lambda says what this init is for: on-demand, snap-start (ends in the snapshot) or provisioned-concurrency.
        String initType = System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE");
        if (backends.isEmbedded()) {
            // First, so that the gallery's load overlaps everything below; SnapStart defers it to the restore.
            galleryPreload.get().start("snap-start".equals(initType));
        }
        try {
            String body = "{\"images\":[\"" + PNG_16 + "\"],\"collection_id\":\"warmup\",\"max_results\":1,"
                    + "\"min_score\":0.7,\"search_mode\":\"FAST\"}";
            var search = validator.validateJson(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Rgb grey = new Rgb(16, 16, new byte[16 * 16 * 3]);
            validator.checkImageBytes("warm-up", JpegEncoder.encode(grey, 80, JpegEncoder.Chroma.YCBCR_420));
            if (backends.isEmbedded()) {
                // The weights of the nets and their buffers: loaded here, each net run once, not by the first search;
                // the whole pipeline only where nobody waits for this init (FacePipeline.warmUpNets says why).
                if (offTheRequestPath(initType)) {
                    FacePipeline.shared().warmUp(1);
                } else {
                    FacePipeline.shared().warmUpNets();
                }
            } else {
                verifik.get().prime(search);
            }
            LOG.infof("start-up warm-up (%s backend) took %d ms", backends.isEmbedded() ? "embedded" : "verifik",
                    (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            // Warm-up is an optimisation only; a failure here must never stop the function from starting.
            LOG.warnf("warm-up failed: %s", e.getClass().getName());
        }
    }
}
