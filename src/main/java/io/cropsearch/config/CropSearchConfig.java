package io.cropsearch.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/**
 * Every tunable of the function in one typed place. Keys live under {@code crop-search.*}; each has an
 * environment-variable form (for example {@code CROP_SEARCH_LIMITS_MAX_IMAGES}).
 */
@ConfigMapping(prefix = "crop-search")
public interface CropSearchConfig {

    /**
     * Which search backend serves searches: {@code verifik} (the REST client) or {@code embedded}. Env
     * {@code SEARCH_BACKEND}; when unset, {@code verifik} if {@code VERIFIK_TOKEN} is set, else {@code embedded}.
     */
    @WithName("backend")
    java.util.Optional<String> backend();

    /** The function's own Verifik token (env {@code VERIFIK_TOKEN}); never logged. */
    @WithName("verifik-token")
    java.util.Optional<String> verifikToken();

    Limits limits();

    Embedded embedded();

    interface Embedded {
        /** Where the embedded gallery (persons, collections, descriptors) is kept between restarts. */
        @WithDefault("data/gallery.json")
        String galleryFile();

        /** Results returned when a search gives no {@code max_results}. */
        @WithDefault("10")
        int defaultMaxResults();

        /** Side in pixels of the square JPEG thumbnails of enrolled images. */
        @WithDefault("64")
        int thumbnailSize();
    }

    Upstream upstream();

    interface Limits {
        /** Decoded bytes of one image. A 1024x1024 JPEG crop is far below this. */
        @WithDefault("1048576")
        int maxImageBytes();

        /** Request body in bytes: below Lambda's 6 MB synchronous payload, leaving room for the event envelope. */
        @WithDefault("5242880")
        int maxBodyBytes();

        /** Smallest accepted side in pixels; smaller crops carry too little of a face to search. */
        @WithDefault("16")
        int minSidePx();

        /** Largest accepted side in pixels; larger images belong to the full-image search endpoint. */
        @WithDefault("1024")
        int maxSidePx();

        /** Longest accepted image URL. */
        @WithDefault("2048")
        int maxUrlLength();
    }

    interface Upstream {
        /** Total time budget of a FAST search, retries included. */
        @WithDefault("3s")
        Duration fastBudget();

        /** Total time budget of an ACCURATE search, retries included. */
        @WithDefault("8s")
        Duration accurateBudget();

        /** Kept free of the Lambda invocation's remaining time, to answer and record the result. */
        @WithDefault("500ms")
        Duration safetyMargin();

        /** An attempt is not started with less time than this left. */
        @WithDefault("100ms")
        Duration minAttemptTime();

        Retry retry();

        CircuitBreaker circuitBreaker();

        interface Retry {
            @WithDefault("3")
            int maxRetries();

            /** First backoff; doubles per retry. */
            @WithDefault("100ms")
            Duration initialDelay();

            @WithDefault("2s")
            Duration maxDelay();

            /** Random extra delay in [0, jitter) added to each backoff. */
            @WithDefault("50ms")
            Duration jitter();

            /** A 429 whose Retry-After exceeds this is not retried but passed on to the caller. */
            @WithDefault("5s")
            Duration maxRetryAfter();
        }

        interface CircuitBreaker {
            /** Rolling window of attempts the failure ratio is computed over. */
            @WithDefault("20")
            int requestVolumeThreshold();

            @WithDefault("0.5")
            double failureRatio();

            /** How long the circuit stays open before letting trial calls through. */
            @WithDefault("10s")
            Duration delay();

            @WithDefault("2")
            int successThreshold();
        }
    }
}
