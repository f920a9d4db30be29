package io.cropsearch.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.cropsearch.observability.InvocationIds;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Tags every HTTP invocation's log lines with the Lambda request id and a correlation id. */
public class InvocationFilters {
    static final String CORRELATION_HEADER = "X-Correlation-Id";

    private final Instance<Context> lambdaContext;
    private final Instance<APIGatewayV2HTTPEvent.RequestContext> gatewayContext;

    public InvocationFilters(Instance<Context> lambdaContext, Instance<APIGatewayV2HTTPEvent.RequestContext> gatewayContext) {
        this.lambdaContext = lambdaContext;
        this.gatewayContext = gatewayContext;
    }

    @ServerRequestFilter(preMatching = true)
    public void begin(ContainerRequestContext request) {
        String correlation = request.getHeaderString(CORRELATION_HEADER);
        if (correlation == null) {
            correlation = gatewayRequestId();
        }
        InvocationIds.begin(lambdaRequestId(), correlation);
    }

    @ServerResponseFilter
    public void end(jakarta.ws.rs.container.ContainerResponseContext response) {
        String correlation = InvocationIds.correlationId();
        if (correlation != null) {
            response.getHeaders().putSingle(CORRELATION_HEADER, correlation);
        }
        InvocationIds.end();
    }

    private String lambdaRequestId() {
        try {
            Context context = lambdaContext.get();
            return context == null ? null : context.getAwsRequestId();
        } catch (RuntimeException e) {
            return null; // not inside a Lambda invocation
        }
    }

    private String gatewayRequestId() {
        try {
            APIGatewayV2HTTPEvent.RequestContext context = gatewayContext.get();
            return context == null ? null : context.getRequestId();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
