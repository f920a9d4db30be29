package io.cropsearch.search.verifik;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.errors.ErrorCode;
import io.cropsearch.search.Deadline;
import io.cropsearch.search.SearchFailure;
import io.cropsearch.search.SearchResult;
import io.cropsearch.secrets.FunctionToken;
import io.cropsearch.secrets.SecretUnavailableException;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every call to the Verifik upstream goes through here: the function's own token (Secrets Manager, re-read once on a
 * 401), retries (exponential backoff with jitter, Retry-After honoured, transient failures only) inside a circuit
 * breaker, one such policy per {@link VerifikEndpoint}, every attempt cut at the request's deadline. This class alone
 * decides what each upstream answer means for the caller; the endpoint's backend only builds the body and reads the
 * answer.
 */
@ApplicationScoped
public class VerifikUpstream {
    private static final Logger LOG = Logger.getLogger(VerifikUpstream.class);

    /** A well-formed upstream success: its body as received (unknown fields kept), attempts made, time taken. */
    public record Answer(ObjectNode body, int attempts, Duration elapsed) {
    }

    private final VerifikApi api;
    private final ObjectMapper json;
    private final CropSearchConfig.Upstream config;
    private final Map<VerifikEndpoint, Guard> guards = new EnumMap<>(VerifikEndpoint.class);
    private final Map<VerifikEndpoint, AtomicReference<CircuitBreakerState>> circuitStates =
            new EnumMap<>(VerifikEndpoint.class);
    private final FunctionToken functionToken;

    public VerifikUpstream(@RestClient VerifikApi api, ObjectMapper json, CropSearchConfig config,
                           FunctionToken functionToken) {
        this.api = api;
        this.functionToken = functionToken;
        this.json = json;
        this.config = config.upstream();
        for (VerifikEndpoint endpoint : VerifikEndpoint.values()) {
            AtomicReference<CircuitBreakerState> state = new AtomicReference<>(CircuitBreakerState.CLOSED);
            circuitStates.put(endpoint, state);
            guards.put(endpoint, policy(endpoint, state));
        }
    }

    private Guard policy(VerifikEndpoint endpoint, AtomicReference<CircuitBreakerState> circuitState) {
        CropSearchConfig.Upstream.Retry retry = this.config.retry();
        CropSearchConfig.Upstream.CircuitBreaker breaker = this.config.circuitBreaker();
        long longestBudget = Math.max(this.config.fastBudget().toMillis(), this.config.accurateBudget().toMillis());
        return Guard.create()
                .withDescription("verifik-" + endpoint.label)
                .withRetry()
                    .maxRetries(retry.maxRetries())
                    .delay(retry.initialDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS)
                    .maxDuration(longestBudget + 1000, ChronoUnit.MILLIS)
                    .retryOn(AttemptFailure.Transient.class)
                    .abortOn(List.of(AttemptFailure.Fault.class, AttemptFailure.Rejection.class,
                            AttemptFailure.Throttled.class, AttemptFailure.BudgetExhausted.class,
                            CircuitBreakerOpenException.class))
                    .withCustomBackoff().strategy(() -> new RetryBackoff(retry)).done()
                    .done()
                .withCircuitBreaker()
                    .name("verifik-" + endpoint.label)
                    .requestVolumeThreshold(breaker.requestVolumeThreshold())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(breaker.successThreshold())
                    // A spent budget is counted too: it follows slow answers or long Retry-After waits, and counting
                    // it as a success would dilute the timeouts that preceded it.
                    .failOn(List.of(AttemptFailure.Transient.class, AttemptFailure.Fault.class,
                            AttemptFailure.BudgetExhausted.class))
                    .onStateChange(state -> {
                        circuitState.set(state);
                        LOG.infof("upstream circuit breaker for %s is now %s", endpoint.label, state);
                    })
                    .done()
                .build();
    }

    /**
     * Start-up priming, so the first real search does not pay for class loading: one request through a throw-away
     * client of the same interface to a closed loopback port (the Vert.x/Netty client, the JSON writer). Nothing
     * reaches the upstream. The guard is left alone: a primed call would count in the circuit breaker's window.
     */
    public void prime(byte[] sampleBody) {
        try {
            VerifikApi closed = io.quarkus.rest.client.reactive.QuarkusRestClientBuilder.newBuilder()
                    .baseUri(java.net.URI.create("http://127.0.0.1:1"))
                    .connectTimeout(500, java.util.concurrent.TimeUnit.MILLISECONDS)
                    .build(VerifikApi.class);
            closed.searchCrops("Bearer warm-up", sampleBody).await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException expected) {
            // Connection refused is the expected end of this call.
        }
    }

    /**
     * {@link #call} for an endpoint's body as a JSON-serialisable object (a tree or a registered record), serialised
     * once per request (not per attempt) straight to UTF-8 on the caller's thread: the REST client then only copies
     * bytes, instead of writing a string of whole images on the event loop.
     */
    public SearchResult send(VerifikEndpoint endpoint, Object body, String bearerToken, Deadline deadline) {
        Answer answer = call(endpoint, serialised(body), bearerToken, deadline);
        return new SearchResult(answer.body(), answer.attempts(), answer.elapsed());
    }

    byte[] serialised(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("upstream body not serialisable", e);
        }
    }

    /**
     * An empty {@code bearerToken} (no HTTP caller can send one) means the function's own token, which
     * {@link FunctionToken} holds: on AWS it is read at run time from Secrets Manager. When the upstream refuses the
     * function's own token with a 401, the secret is read again once and, if it changed (a rotation), the search is
     * tried once more within the same deadline. The function's token never reaches the caller, a record or a log: it
     * is cut out of whatever the upstream's error echoes.
     */
    public Answer call(VerifikEndpoint endpoint, byte[] body, String bearerToken, Deadline deadline) {
        boolean own = bearerToken.isEmpty() || functionToken.isOwn(bearerToken);
        if (!own) {
            return callWith(endpoint, body, bearerToken, deadline);
        }
        String token;
        try {
            token = bearerToken.isEmpty() ? functionToken.current().orElse("") : bearerToken;
        } catch (SecretUnavailableException e) {
            // Transient for the S3 path: the upload is retried, then parked in the failure queue, never lost.
            throw new SearchFailure(503, ErrorCode.UNAVAILABLE, "credential_unavailable", null, null, true, 0);
        }
        try {
            return callWith(endpoint, body, token, deadline);
        } catch (SearchFailure refused) {
            if (refused.status() != 401) {
                throw redacted(refused, token);
            }
            Optional<String> fresh = functionToken.afterRejection(token);
            if (fresh.isEmpty()) {
                throw redacted(refused, token);
            }
            LOG.info("upstream refused the function's own token; retrying once with the secret read again");
            try {
                Answer retried = callWith(endpoint, body, fresh.get(), deadline);
                // The record counts the refused attempt too.
                return new Answer(retried.body(), refused.attempts() + retried.attempts(), retried.elapsed());
            } catch (SearchFailure again) {
                throw redacted(redacted(again, fresh.get()), token);
            }
        }
    }

    /** The failure with {@code token} cut out of the message and body an upstream may have echoed it in. */
    private static SearchFailure redacted(SearchFailure failure, String token) {
        if (token.isEmpty()) {
            return failure;
        }
        String message = failure.getMessage();
        String raw = failure.rawBody().orElse(null);
        boolean inMessage = message != null && message.contains(token);
        boolean inRaw = raw != null && raw.contains(token);
        if (!inMessage && !inRaw) {
            return failure;
        }
        return new SearchFailure(failure.status(), failure.code(),
                inMessage ? message.replace(token, "[redacted]") : message, failure.retryAfterSeconds().orElse(null),
                inRaw ? raw.replace(token, "[redacted]") : raw, failure.isTransient(), failure.attempts());
    }

    private Answer callWith(VerifikEndpoint endpoint, byte[] body, String bearerToken, Deadline deadline) {
        String authorization = "Bearer " + bearerToken;
        AtomicInteger attempts = new AtomicInteger();
        AttemptFailure.Transient[] lastTransient = new AttemptFailure.Transient[1];
        long started = System.nanoTime();
        try {
            ObjectNode result = guards.get(endpoint).call(() -> {
                try {
                    return attempt(endpoint, authorization, body, deadline, attempts);
                } catch (AttemptFailure.Transient t) {
                    lastTransient[0] = t;
                    throw t;
                }
            }, ObjectNode.class);
            return new Answer(result, attempts.get(), Duration.ofNanos(System.nanoTime() - started));
        } catch (CircuitBreakerOpenException e) {
            long retryAfter = Math.max(1, (config.circuitBreaker().delay().toMillis() + 999) / 1000);
            throw new SearchFailure(503, ErrorCode.UNAVAILABLE, "upstream_unavailable", retryAfter, null, true,
                    attempts.get());
        } catch (AttemptFailure.BudgetExhausted e) {
            AttemptFailure.Transient last = lastTransient[0];
            if (last != null && !last.isTimeout()) {
                throw exhausted(last, attempts.get());
            }
            throw new SearchFailure(504, ErrorCode.TIMEOUT, "upstream_timeout", null, null, true, attempts.get());
        } catch (AttemptFailure.Transient e) {
            throw exhausted(e, attempts.get());
        } catch (AttemptFailure.Throttled e) {
            throw new SearchFailure(429, ErrorCode.TOO_MANY_REQUESTS, "upstream_rate_limited",
                    (e.retryAfterMillis + 999) / 1000, null, true, attempts.get());
        } catch (AttemptFailure.Fault e) {
            throw new SearchFailure(502, ErrorCode.ERROR, "upstream_error", null, null, false, attempts.get());
        } catch (AttemptFailure.Rejection e) {
            throw rejection(endpoint, e, attempts.get());
        } catch (Exception e) {
            LOG.errorf("upstream %s failed unexpectedly: %s", endpoint.label, e.getClass().getName());
            throw new SearchFailure(502, ErrorCode.ERROR, "upstream_error", null, null, true, attempts.get());
        }
    }

    private ObjectNode attempt(VerifikEndpoint endpoint, String authorization, byte[] body, Deadline deadline,
                               AtomicInteger attempts) {
        Duration remaining = deadline.remaining();
        if (remaining.compareTo(config.minAttemptTime()) < 0) {
            throw new AttemptFailure.BudgetExhausted();
        }
        attempts.incrementAndGet();
        Response response;
        try {
            response = api.call(endpoint, authorization, body).await().atMost(remaining);
        } catch (io.smallrye.mutiny.TimeoutException e) {
            throw new AttemptFailure.Transient("upstream timed out", 0, 0, deadline);
        } catch (WebApplicationException e) {
            // Error statuses may still arrive as exceptions (client-wide mappers); their response is what counts.
            response = e.getResponse();
        } catch (RuntimeException e) {
            // Connect errors, resets and client read timeouts all surface here, wrapped in various ways.
            String reason = isTimeout(e) ? "upstream timed out" : "upstream connection failed";
            throw new AttemptFailure.Transient(reason, 0, 0, deadline);
        }
        try {
            return judge(endpoint, response, deadline);
        } finally {
            response.close();
        }
    }

    private ObjectNode judge(VerifikEndpoint endpoint, Response response, Deadline deadline) {
        int status = response.getStatus();
        String text = response.hasEntity() ? response.readEntity(String.class) : "";
        if (status == 200) {
            return parseResult(endpoint, text);
        }
        if (status == 429) {
            long retryAfter = RetryAfter.millis(response.getHeaderString("Retry-After"), Instant.now()).orElse(0);
            long canWait = Math.min(config.retry().maxRetryAfter().toMillis(),
                    deadline.remaining().minus(config.minAttemptTime()).toMillis());
            if (retryAfter > canWait) {
                throw new AttemptFailure.Throttled(Math.max(retryAfter, 1000));
            }
            throw new AttemptFailure.Transient("upstream throttled", 429, retryAfter, deadline);
        }
        if (status == 502 || status == 503 || status == 504) {
            throw new AttemptFailure.Transient("upstream status " + status, status, 0, deadline);
        }
        if (status >= 500 || status < 400) {
            throw new AttemptFailure.Fault("upstream status " + status, status);
        }
        throw new AttemptFailure.Rejection(status, text);
    }

    private ObjectNode parseResult(VerifikEndpoint endpoint, String text) {
        try {
            JsonNode node = json.readTree(text);
            JsonNode data = node == null ? null : node.path("data");
            if (node instanceof ObjectNode object && (endpoint.dataIsArray ? data.isArray() : data.isObject())) {
                return object;
            }
        } catch (JsonProcessingException e) {
            // falls through: an unreadable success is an upstream fault
        }
        throw new AttemptFailure.Fault("upstream sent malformed JSON", 200);
    }

    private SearchFailure exhausted(AttemptFailure.Transient last, int attempts) {
        if (last.status == 429) {
            return new SearchFailure(429, ErrorCode.TOO_MANY_REQUESTS, "upstream_rate_limited",
                    Math.max(1, (last.retryAfterMillis + 999) / 1000), null, true, attempts);
        }
        return new SearchFailure(502, ErrorCode.ERROR, "upstream_error", null, null, true, attempts);
    }

    /**
     * 401, 403 and 409 reach the caller as the upstream sent them, and so does {@code /verify}'s 404 (the person or
     * collection named in the request is unknown: the caller's answer, not our fault); other refusals mean our call
     * was wrong.
     */
    private SearchFailure rejection(VerifikEndpoint endpoint, AttemptFailure.Rejection e, int attempts) {
        boolean namedResourceUnknown = e.status == 404 && endpoint == VerifikEndpoint.VERIFY;
        if (e.status == 401 || e.status == 403 || e.status == 409 || namedResourceUnknown) {
            String code = e.status == 401 ? ErrorCode.UNAUTHORIZED
                    : e.status == 403 ? ErrorCode.FORBIDDEN
                    : e.status == 404 ? ErrorCode.NOT_FOUND : ErrorCode.MISSING_PARAMETER;
            String message = "upstream_rejected";
            String raw = null;
            try {
                JsonNode node = json.readTree(e.body);
                if (node != null && node.isObject() && node.path("message").isTextual() && node.path("code").isTextual()) {
                    message = node.get("message").textValue();
                    code = node.get("code").textValue();
                    raw = e.body;
                }
            } catch (JsonProcessingException | IllegalArgumentException ignored) {
                // an unreadable error body is replaced by our own in the contract's shape
            }
            return new SearchFailure(e.status, code, message, null, raw, false, attempts);
        }
        LOG.warnf("upstream refused a validated request with status %d", e.status);
        return new SearchFailure(502, ErrorCode.ERROR, "upstream_error", null, null, false, attempts);
    }

    /** The endpoint's breaker state, for logs and tests. */
    public CircuitBreakerState circuitState(VerifikEndpoint endpoint) {
        return circuitStates.get(endpoint).get();
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName().toLowerCase();
            if (name.contains("timeout")) {
                return true;
            }
        }
        return false;
    }
}
