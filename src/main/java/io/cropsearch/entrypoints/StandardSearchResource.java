package io.cropsearch.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.model.ApiEndpoint;
import io.cropsearch.search.CropSearchService;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /v2/face-recognition/search}: the standard 1:N search of whole photos, through the same data path as
 * crops ({@link CropSearchService}) with {@code /search}'s rules. Served by Quarkus REST only: the direct API Gateway
 * route ({@link ApiGatewaySearchRoute}) takes crop searches alone.
 */
@Path(StandardSearchResource.PATH)
public class StandardSearchResource {
    public static final String PATH = "/v2/face-recognition/search";

    private final CropSearchService service;
    private final Instance<Context> lambdaContext;

    public StandardSearchResource(CropSearchService service, Instance<Context> lambdaContext) {
        this.service = service;
        this.lambdaContext = lambdaContext;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode search(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return service.searchHttp(ApiEndpoint.SEARCH, body, BearerToken.from(authorization),
                RemainingTime.millis(lambdaContext)).body();
    }
}
