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
 * Returns the raw {@link Response} so that every status and body can be judged by {@link VerifikSearchBackend}; the
 * asynchronous form lets each attempt be cut at the search's deadline.
 */
@RegisterRestClient(configKey = "verifik")
@Path("/v2/face-recognition")
public interface VerifikApi {

    /** @param body an {@link UpstreamSearchBody} as JSON (UTF-8) */
    @POST
    @Path("/search/crops")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> searchCrops(@HeaderParam("Authorization") String authorization, byte[] body);
}
