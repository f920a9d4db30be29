package io.cropsearch.search.verifik;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The Verifik-compatible upstream. Base URL, connect and read timeouts come from {@code quarkus.rest-client.verifik.*}.
 * Returns the raw {@link Response} so that every status and body can be judged by {@link VerifikUpstream}; the
 * asynchronous form lets each attempt be cut at the deadline. Bodies are JSON already serialised to UTF-8 by the
 * caller (once per request, not per attempt).
 */
@RegisterRestClient(configKey = "verifik")
@Path("/v2/face-recognition")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface VerifikApi {

    @POST
    @Path("/search/crops")
    Uni<Response> searchCrops(@HeaderParam("Authorization") String authorization, byte[] body);

    @POST
    @Path("/search")
    Uni<Response> search(@HeaderParam("Authorization") String authorization, byte[] body);

    @POST
    @Path("/detect")
    Uni<Response> detect(@HeaderParam("Authorization") String authorization, byte[] body);

    @POST
    @Path("/verify")
    Uni<Response> verify(@HeaderParam("Authorization") String authorization, byte[] body);

    @POST
    @Path("/compare")
    Uni<Response> compare(@HeaderParam("Authorization") String authorization, byte[] body);

    /** The one place that maps an endpoint to its client method. */
    default Uni<Response> call(VerifikEndpoint endpoint, String authorization, byte[] body) {
        return switch (endpoint) {
            case SEARCH_CROPS -> searchCrops(authorization, body);
            case SEARCH -> search(authorization, body);
            case DETECT -> detect(authorization, body);
            case VERIFY -> verify(authorization, body);
            case COMPARE -> compare(authorization, body);
        };
    }
}
