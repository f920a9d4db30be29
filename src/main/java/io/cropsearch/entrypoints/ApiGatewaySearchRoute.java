package io.cropsearch.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.errors.ApiException;
import io.cropsearch.errors.ErrorCode;
import io.cropsearch.errors.ErrorResponses;
import io.cropsearch.observability.InvocationIds;
import io.cropsearch.search.CropSearchService;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Answers the ordinary crop search event ({@code POST /v2/face-recognition/search/crops}, a JSON body) straight from
 * the API Gateway event, on the invocation's own thread.
 *
 * <p>Why: Quarkus' Lambda HTTP handler turns every event into a virtual Netty request, routes it through Vert.x and
 * RESTEasy on the event loop and a worker thread, and collects the response byte by byte; on a warm function that was
 * most of our added latency (BENCHMARKS.md, "Overhead"). The search itself is {@link CropSearchService#searchHttp},
 * the same call {@link CropSearchResource} makes, and errors get their bodies from {@link ErrorResponses}, so this
 * class adds no rule of its own. Anything unusual (another route or method, a missing or non-JSON content type, an
 * {@code Accept} header other than JSON or anything, an encoded or empty body) is left to the JAX-RS resource, which
 * keeps answering those exactly as before. {@code ApiGatewaySearchRouteParityTest} delivers the same events both ways
 * and requires identical status, headers and body.
 */
@ApplicationScoped
public class ApiGatewaySearchRoute {
    // The content types Quarkus writes: RESTEasy Reactive's for a JSON entity (RESULT_TYPE), and the one ErrorResponses
    // sets on errors (JSON_TYPE); the parity test holds us to both.
    private static final String JSON_TYPE = "application/json";
    private static final String RESULT_TYPE = "application/json;charset=UTF-8";
    // For when even serialising the error body fails (say, a native image missing a registration).
    private static final String INTERNAL_ERROR_BODY = "{\"message\":\"internal_error\",\"code\":\"" + ErrorCode.ERROR
            + "\"}";

    private final CropSearchService service;
    private final ObjectMapper json;

    public ApiGatewaySearchRoute(CropSearchService service, ObjectMapper json) {
        this.service = service;
        this.json = json;
    }

    /** The response, or null when the event is not the plain search request and Quarkus' HTTP layer must answer it. */
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
        if (!isPlainSearch(event)) {
            return null;
        }
        Map<String, String> headers = event.getHeaders();
        // As InvocationFilters: the caller's correlation id, else API Gateway's request id.
        String correlation = header(headers, InvocationFilters.CORRELATION_HEADER);
        if (correlation == null) {
            correlation = event.getRequestContext().getRequestId();
        }
        InvocationIds.begin(context == null ? null : context.getAwsRequestId(), correlation);
        try {
            byte[] body;
            try {
                body = event.getIsBase64Encoded() ? Base64.getDecoder().decode(event.getBody())
                        : event.getBody().getBytes(StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // A body flagged base64 that is not: API Gateway never sends one, a hand-made event might.
                return respond(400, JSON_TYPE, entity(ErrorResponses.malformedBody()), null);
            }
            String token = BearerToken.from(header(headers, "Authorization"));
            long remaining = context == null ? -1 : context.getRemainingTimeInMillis();
            String result = json.writeValueAsString(service.searchHttp(body, token, remaining).body());
            return respond(200, RESULT_TYPE, result, null);
        } catch (ApiException e) {
            return respond(e.status(), JSON_TYPE, entity(ErrorResponses.bodyOf(e)),
                    e.retryAfterSeconds().map(String::valueOf).orElse(null));
        } catch (RuntimeException | JsonProcessingException | LinkageError | StackOverflowError e) {
            // Errors too: thrown out of the handler they would reach the caller as API Gateway's own 500 body.
            return respond(500, JSON_TYPE, entity(ErrorResponses.unexpectedBody(e)), null);
        } finally {
            InvocationIds.end();
        }
    }

    public static boolean isPlainSearch(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        if (context == null || context.getHttp() == null || !"POST".equals(context.getHttp().getMethod())
                || !CropSearchResource.PATH.equals(event.getRawPath())
                || event.getBody() == null || event.getBody().isEmpty()) {
            return false;
        }
        Map<String, String> headers = event.getHeaders();
        return isJson(header(headers, "Content-Type")) && acceptsJson(header(headers, "Accept"))
                && header(headers, "Content-Encoding") == null;
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase(JSON_TYPE);
    }

    // Only the common, unambiguous cases; q-values, lists and the rest go to RESTEasy's negotiation.
    private static boolean acceptsJson(String accept) {
        if (accept == null) {
            return true;
        }
        String range = accept.trim().toLowerCase(Locale.ROOT);
        return range.equals("*/*") || range.equals(JSON_TYPE) || range.equals("application/*");
    }

    /** API Gateway lower-cases header names, hand-made events may not. */
    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        String value = headers.get(name.toLowerCase(Locale.ROOT));
        if (value != null) {
            return value;
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private String entity(Object body) {
        if (body instanceof String raw) {
            return raw;
        }
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException | RuntimeException | LinkageError e) {
            return INTERNAL_ERROR_BODY;
        }
    }

    private static APIGatewayV2HTTPResponse respond(int status, String contentType, String body, String retryAfter) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        if (retryAfter != null) {
            headers.put("Retry-After", retryAfter);
        }
        String correlation = InvocationIds.correlationId();
        if (correlation != null) {
            headers.put(InvocationFilters.CORRELATION_HEADER, correlation);
        }
        APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
        response.setStatusCode(status);
        response.setHeaders(headers);
        response.setBody(body);
        response.setIsBase64Encoded(false);
        return response;
    }
}
