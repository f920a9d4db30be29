package io.cropsearch.entrypoints;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.embedded.Enrolment;
import io.cropsearch.embedded.Envelope;
import io.cropsearch.embedded.FaceCollection;
import io.cropsearch.embedded.Gallery;
import io.cropsearch.errors.ApiException;
import io.cropsearch.errors.ErrorCode;
import io.cropsearch.search.SearchBackends;
import io.cropsearch.validation.CropSearchValidator;
import io.cropsearch.validation.ValidatedPage;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Optional;

/**
 * The subset of Verifik's persons and collections API that the embedded backend needs for enrolment, with Verifik's
 * response shapes. Served only when the embedded backend runs: with Verifik, its own API is the place to enrol.
 */
@Path("/v2/face-recognition")
@Produces(MediaType.APPLICATION_JSON)
public class GalleryResource {
    private final CropSearchValidator validator;
    private final Enrolment enrolment;
    private final Gallery gallery;
    private final SearchBackends backends;
    private final ObjectMapper json;

    public GalleryResource(CropSearchValidator validator, Enrolment enrolment, Gallery gallery, SearchBackends backends,
                           ObjectMapper json) {
        this.validator = validator;
        this.enrolment = enrolment;
        this.gallery = gallery;
        this.backends = backends;
        this.json = json;
    }

    @POST
    @Path("/persons")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response enrol(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        guard(authorization);
        try {
            return Response.ok(Envelope.of(json, Envelope.person(json, enrolment.enrol(validator.validatePerson(body)))))
                    .build();
        } catch (Enrolment.AlreadyEnrolled e) {
            ObjectNode error = json.createObjectNode();
            error.put("message", "person_already_set");
            error.put("code", "PreconditionFailed");
            error.set("data", Envelope.person(json, e.existing()));
            return Response.status(412).entity(error).build();
        }
    }

    @GET
    @Path("/persons")
    public ObjectNode persons(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                              @QueryParam("page") String pageParam,
                              @QueryParam("limit") String limitParam,
                              @QueryParam("collection") String collection) {
        guard(authorization);
        ValidatedPage paging = validator.validatePage(pageParam, limitParam);
        int page = paging.page();
        int limit = paging.limit();
        Optional<String> collectionId = Optional.ofNullable(collection).filter(c -> !c.isBlank())
                .map(c -> gallery.collection(c).map(FaceCollection::id)
                        .orElseThrow(() -> new ApiException(404, ErrorCode.NOT_FOUND, "collection_not_found")));
        Gallery.Page result = gallery.page(page, limit, collectionId);
        ArrayNode data = json.createArrayNode();
        result.persons().forEach(p -> data.add(Envelope.person(json, p)));
        ObjectNode envelope = Envelope.of(json, data);
        ObjectNode pagination = json.createObjectNode();
        pagination.put("page", page).put("limit", limit).put("total", result.total())
                .put("pages", (result.total() + limit - 1) / limit);
        envelope.set("pagination", pagination);
        return envelope;
    }

    @GET
    @Path("/persons/{id}")
    public ObjectNode person(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        guard(authorization);
        return gallery.person(id).map(p -> Envelope.of(json, Envelope.person(json, p)))
                .orElseThrow(() -> new ApiException(404, ErrorCode.NOT_FOUND, "person_not_found"));
    }

    @DELETE
    @Path("/persons/{id}")
    public ObjectNode delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
                             @QueryParam("collection") String collection) {
        guard(authorization);
        Optional<String> detachFrom = Optional.ofNullable(collection).filter(c -> !c.isBlank())
                .map(c -> gallery.collection(c).map(FaceCollection::id).orElse(c));
        return gallery.delete(id, detachFrom)
                .map(p -> Envelope.of(json, json.createObjectNode().put("_id", p.id())))
                .orElseThrow(() -> new ApiException(404, ErrorCode.NOT_FOUND, "person_not_found"));
    }

    @POST
    @Path("/collections")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode createCollection(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        guard(authorization);
        var request = validator.validateCollection(body);
        return Envelope.of(json, Envelope.collection(json, gallery.addCollection(request.name(), request.description())));
    }

    @GET
    @Path("/collections")
    public ObjectNode collections(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        guard(authorization);
        ArrayNode data = json.createArrayNode();
        gallery.collections().forEach(c -> data.add(Envelope.collection(json, c)));
        return Envelope.of(json, data);
    }

    @GET
    @Path("/collections/{id}")
    public ObjectNode collection(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        guard(authorization);
        return gallery.collection(id).map(c -> Envelope.of(json, Envelope.collection(json, c)))
                .orElseThrow(() -> new ApiException(404, ErrorCode.NOT_FOUND, "collection_not_found"));
    }

    private void guard(String authorization) {
        BearerToken.from(authorization);
        if (!backends.isEmbedded()) {
            throw new ApiException(404, ErrorCode.NOT_FOUND,
                    "the persons and collections API is served by the embedded backend only (SEARCH_BACKEND=embedded)");
        }
    }
}
