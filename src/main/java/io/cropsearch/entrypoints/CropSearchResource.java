package io.cropsearch.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.search.CropSearchService;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /v2/face-recognition/search/crops} behind API Gateway: the contract's HTTP way in. */
@Path(CropSearchResource.PATH)
public class CropSearchResource {
    public static final String PATH = "/v2/face-recognition/search/crops";

    private final CropSearchService service;
    private final Instance<Context> lambdaContext;

    public CropSearchResource(CropSearchService service, Instance<Context> lambdaContext) {
        this.service = service;
        this.lambdaContext = lambdaContext;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode search(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        String token = BearerToken.from(authorization);
        return service.searchHttp(body, token, RemainingTime.millis(lambdaContext)).body();
    }
}
