package io.cropsearch.entrypoints;

import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.errors.ApiException;
import io.cropsearch.errors.ErrorCode;
import io.cropsearch.records.RecordQuery;
import io.cropsearch.records.RecordSummary;
import io.cropsearch.records.sink.ResultSink;
import io.cropsearch.records.sink.SinkUnavailableException;
import io.cropsearch.validation.CropSearchValidator;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * {@code GET /v2/crop-search/records}: the function's own latest result records, read back from its sink (the table or
 * the JSON-lines file), for the demo page's records panel. In the function's own namespace, not Verifik's: Verifik has
 * no such operation. It exists only while the demo page does ({@code crop-search.demo-ui.enabled}): otherwise it
 * answers the same 404 as the page, before anything else, so a packaged function shows no trace of it.
 */
@Path(RecordsResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class RecordsResource {
    public static final String PATH = "/v2/crop-search/records";
    private static final Logger LOG = Logger.getLogger(RecordsResource.class);

    private final CropSearchConfig config;
    private final CropSearchValidator validator;
    private final ResultSink sink;

    public RecordsResource(CropSearchConfig config, CropSearchValidator validator, ResultSink sink) {
        this.config = config;
        this.validator = validator;
        this.sink = sink;
    }

    @GET
    public Page latest(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                       @QueryParam("collection_id") String collectionId,
                       @QueryParam("since") String since,
                       @QueryParam("limit") String limit) {
        if (!config.demoUi().enabled()) {
            throw new ApiException(404, ErrorCode.NOT_FOUND, "Not found");
        }
        BearerToken.from(authorization);
        RecordQuery query = validator.validateRecordQuery(collectionId, since, limit);
        try {
            return new Page(sink.latest(query));
        } catch (SinkUnavailableException e) {
            // The message names the operation and the SDK exception's class, never a record.
            LOG.warnf("records not readable: %s", e.getMessage());
            throw new ApiException(503, ErrorCode.UNAVAILABLE, "records_unavailable");
        }
    }

    /** The answer: {@code {"data": [...]}}, newest first. */
    @RegisterForReflection
    public record Page(List<RecordSummary> data) {
    }
}
