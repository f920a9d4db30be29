package io.cropsearch.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.search.FaceDetectionService;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /v2/face-recognition/detect}: every face of one photo (see {@link FaceDetectionService}). */
@Path(DetectResource.PATH)
public class DetectResource {
    public static final String PATH = "/v2/face-recognition/detect";

    private final FaceDetectionService service;
    private final Instance<Context> lambdaContext;

    public DetectResource(FaceDetectionService service, Instance<Context> lambdaContext) {
        this.service = service;
        this.lambdaContext = lambdaContext;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode detect(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return service.detectHttp(body, BearerToken.from(authorization), RemainingTime.millis(lambdaContext)).body();
    }
}
