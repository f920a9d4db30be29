package io.cropsearch.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;

import java.util.Map;

/**
 * Sends S3 events to {@link S3EventHandler}, the plain crop search to {@link ApiGatewaySearchRoute}, and everything else
 * to Quarkus' HTTP handler, inside the one function.
 *
 * <p>Why a decorator: with {@code quarkus-amazon-lambda-http} the build refuses any second {@code RequestHandler}
 * ("Multiple handler classes"), and the HTTP handler alone would answer an S3 event with a normal HTTP 500 response
 * ("Missing HTTP method"), which Lambda counts as success: the upload would be lost without a retry. The build's
 * handler scan skips {@code @Decorator}s and abstract classes (both apply here), and the HTTP handler
 * ({@code LambdaHttpHandler}) is a CDI bean that the runtime looks up per invocation, so a decorator on its
 * {@code RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>} type sees every event first. The event is
 * deserialized as {@code APIGatewayV2HTTPEvent} with a copy of the application's ObjectMapper;
 * {@link LambdaEventRecognizer} makes that mapper turn an event with {@code Records} into an {@link S3Delivery}.
 * Checked against Quarkus 3.33.2 ({@code AmazonLambdaProcessor}, {@code AmazonLambdaMapperRecorder},
 * {@code AmazonLambdaRecorder}); {@code S3DispatchTest} fails if an upgrade breaks any of it.
 *
 * <p>An S3 event that needs a retry makes this method throw, so the invocation fails instead of "succeeding" with a 500.
 */
@Decorator
@Priority(10)
public abstract class LambdaEventDispatch implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> http;
    private final S3EventHandler s3;
    private final ApiGatewaySearchRoute search;

    @Inject
    protected LambdaEventDispatch(@Delegate RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> http,
                                  S3EventHandler s3, ApiGatewaySearchRoute search) {
        this.http = http;
        this.s3 = s3;
        this.search = search;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (event instanceof S3Delivery delivery) {
            Map<String, Integer> summary = s3.handle(delivery.records(), context);
            // Asynchronous S3 invocations ignore the response; a 200 with counts helps whoever invokes by hand.
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(200)
                    .withHeaders(Map.of("Content-Type", "application/json"))
                    .withBody(JSON.valueToTree(Map.of("s3Records", summary)).toString())
                    .build();
        }
        APIGatewayV2HTTPResponse searched = search.handle(event, context);
        return searched != null ? searched : http.handleRequest(event, context);
    }

    /** An event with a {@code Records} array (S3 notifications), dressed as the HTTP event type the runtime expects. */
    public static final class S3Delivery extends APIGatewayV2HTTPEvent {
        private final transient JsonNode records;

        S3Delivery(JsonNode records) {
            this.records = records;
        }

        public JsonNode records() {
            return records;
        }
    }
}
