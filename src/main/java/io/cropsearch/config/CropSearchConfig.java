package io.cropsearch.config;

import io.cropsearch.model.SearchMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /**
     * The function's own upstream token (env {@code VERIFIK_TOKEN}), used for S3 searches (HTTP callers bring theirs),
     * for local runs; on AWS the token is read at run time from {@link Secrets#verifikTokenSecret()} instead. Never
     * logged, never recorded.
     */
    @WithName("verifik-token")
    java.util.Optional<String> verifikToken();

    Limits limits();

    Secrets secrets();

    Auth auth();

    DemoUi demoUi();

    /**
     * The demo page at {@code /} (README, Quickstart): a browser client of the public API, nothing privileged. Off in
     * the packaged function unless {@code DEMO_UI=true}, on in dev mode; while off the page answers 404.
     */
    interface DemoUi {
        @WithDefault("false")
        boolean enabled();
    }

    /**
     * The function's own Verifik token on AWS: read at run time from Secrets Manager (never placed in the function's
     * environment, where {@code lambda:GetFunctionConfiguration} would show it), cached, re-read after the TTL or after
     * an upstream 401. Without a secret id, {@link #verifikToken()} ({@code VERIFIK_TOKEN}) is used, as for local runs.
     */
    interface Secrets {
        /** ARN (or name) of the secret whose SecretString is the token. Env {@code VERIFIK_TOKEN_SECRET}. */
        Optional<String> verifikTokenSecret();

        /** How long a value read from Secrets Manager is used before it is read again (rotation shows up within it). */
        @WithDefault("5m")
        Duration ttl();

        /**
         * Shortest time between two reads forced by upstream 401s: a token the upstream keeps refusing must not turn
         * every search into a Secrets Manager call.
         */
        @WithDefault("5s")
        Duration minRereadInterval();

        /**
         * Secrets Manager endpoint, for an AWS-compatible server on a developer's machine or in tests. Unset: the
         * SDK's own chain (the region's endpoint, or {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}).
         */
        Optional<java.net.URI> endpointOverride();
    }

    /** Who may call the HTTP API. See docs/DEPLOY.md, "Authentication on AWS". */
    interface Auth {
        /**
         * True when an API Gateway authorizer (the templates' JWT authorizer) checks every request before it reaches
         * the function. Env {@code API_GUARDED_BY_AUTHORIZER}. On AWS the embedded backend refuses to start without it.
         */
        @WithDefault("false")
        boolean guardedByAuthorizer();
    }

    Embedded embedded();

    interface Embedded {
        /**
         * Where the embedded gallery (persons, collections, descriptors) is kept between restarts when no
         * {@link #galleryTable()} is set.
         */
        @WithDefault("data/gallery.json")
        String galleryFile();

        /**
         * DynamoDB table of the embedded gallery (env {@code GALLERY_TABLE}); when set it replaces the file. On Lambda
         * the file would live in one execution environment's /tmp only. See docs/EMBEDDED-STORAGE.md.
         */
        Optional<String> galleryTable();

        /**
         * With a gallery table, how often a search checks whether another Lambda environment changed the gallery (one
         * consistent GetItem), and reloads it if so: the longest an enrolment elsewhere can go unseen here.
         */
        @WithDefault("5s")
        Duration galleryRefresh();

        /**
         * Whether start-up loads the gallery in the background (under SnapStart: right after each restore) so that
         * the first search does not (env {@code CROP_SEARCH_EMBEDDED_PRELOAD_GALLERY}); {@code false} leaves the load to
         * the first use. See {@code GalleryPreload}.
         */
        @WithDefault("true")
        boolean preloadGallery();

        /** Results returned when a search gives no {@code max_results}. */
        @WithDefault("10")
        int defaultMaxResults();

        /** Side in pixels of the square JPEG thumbnails of enrolled images. */
        @WithDefault("64")
        int thumbnailSize();
    }

    Upstream upstream();

    S3 s3();

    Records records();

    /** Searches started by S3 uploads: parameters come from the object's user metadata, these fill the gaps. */
    interface S3 {
        /** {@code min_score} when the object has no {@code x-amz-meta-min-score}; the contract's example value. */
        @WithDefault("0.7")
        double defaultMinScore();

        /** {@code search_mode} when the object has no {@code x-amz-meta-search-mode}. */
        @WithDefault("FAST")
        SearchMode defaultSearchMode();

        /** {@code collection_id} when the object has no {@code x-amz-meta-collection-id}; none searches all. */
        Optional<String> defaultCollectionId();

        /** {@code max_results} when the object has no {@code x-amz-meta-max-results}; none leaves it to the upstream. */
        Optional<Integer> defaultMaxResults();

        /**
         * Larger objects are not even read: they get a SKIPPED record. Same as the whole-photo limit by default
         * ({@code crop-search.limits.photo-max-image-bytes}), so that an object that is read can also pass validation:
         * objects beyond the crop limits are searched as whole photos.
         */
        @WithDefault("3670016")
        long maxObjectBytes();

        /** Key suffixes (case-insensitive) that are searched; other keys get a SKIPPED record. */
        @WithDefault("jpg,jpeg,png,webp")
        List<String> imageSuffixes();
    }

    /** Result records: one per search, from either way in. See docs/RECORDS.md. */
    interface Records {
        /** DynamoDB table the records go to (env {@code RESULTS_TABLE}). Unset: the JSON-lines file instead. */
        Optional<String> table();

        /**
         * JSON-lines file used when no table is set (env {@code RESULTS_FILE}). Unset: {@code results/results.jsonl}
         * under the working directory, or {@code /tmp/crop-search/results.jsonl} on Lambda (whose task root is
         * read-only).
         */
        Optional<String> file();

        /** How long a record lives before DynamoDB's TTL removes it (the {@code expiresAt} attribute). */
        @WithDefault("P90D")
        Duration retention();

        /** Matches kept per record, best first; together with the string caps this bounds the item size. */
        @WithDefault("100")
        int maxMatches();

        /** Thumbnail ids kept per match (thumbnail bytes are never kept). */
        @WithDefault("3")
        int maxThumbnailIds();

        /**
         * Longest wait for an HTTP search's record before the response goes out anyway; the write goes on in the
         * background. Keeps a slow sink from delaying callers.
         */
        @WithDefault("200ms")
        Duration httpWait();
    }

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

        /** Largest side in pixels of a whole photo (standard search, detect, verify, compare, enrolment, S3 photos). */
        @WithDefault("4096")
        int photoMaxSidePx();

        /**
         * Bytes of one whole photo. 3.5 MiB: base64 of one such photo (4.67 MB) still fits {@link #maxBodyBytes()};
         * several images in one body must share that budget.
         */
        @WithDefault("3670016")
        int photoMaxImageBytes();

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
