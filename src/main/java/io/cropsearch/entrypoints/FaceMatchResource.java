package io.cropsearch.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.match.FaceMatchService;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * The 1:1 endpoints behind API Gateway, {@code POST /v2/face-recognition/verify} and {@code /compare}, with the crop
 * search's authentication (a bearer token, forwarded upstream by the Verifik backend) and error bodies.
 */
@Path(FaceMatchResource.BASE)
public class FaceMatchResource {
    public static final String BASE = "/v2/face-recognition";
    public static final String VERIFY_PATH = BASE + "/verify";
    public static final String COMPARE_PATH = BASE + "/compare";

    private final FaceMatchService service;
    private final Instance<Context> lambdaContext;

    public FaceMatchResource(FaceMatchService service, Instance<Context> lambdaContext) {
        this.service = service;
        this.lambdaContext = lambdaContext;
    }

    @POST
    @Path("/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode verify(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return service.verify(body, BearerToken.from(authorization), RemainingTime.millis(lambdaContext)).body();
    }

    @POST
    @Path("/compare")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode compare(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return service.compare(body, BearerToken.from(authorization), RemainingTime.millis(lambdaContext)).body();
    }
}
