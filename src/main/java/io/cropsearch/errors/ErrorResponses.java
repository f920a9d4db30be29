package io.cropsearch.errors;

import io.cropsearch.model.ErrorBody;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The only place where failures become HTTP responses; every one has the contract's error body. */
public class ErrorResponses {
    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response.ResponseBuilder builder = Response.status(e.status()).type(MediaType.APPLICATION_JSON);
        e.retryAfterSeconds().ifPresent(seconds -> builder.header("Retry-After", seconds));
        return builder.entity(bodyOf(e)).build();
    }

    /** The body of an {@link ApiException}'s response: an upstream's own body passed through, or the contract's. */
    public static Object bodyOf(ApiException e) {
        return e.rawBody().<Object>map(raw -> raw).orElseGet(() -> new ErrorBody(e.getMessage(), e.code()));
    }

    public static ErrorBody malformedBody() {
        return new ErrorBody("Bad request", ErrorCode.MALFORMED_BODY);
    }

    /** Logs the class of an unexpected failure (only the class: messages may carry request data) and hides it. */
    public static ErrorBody unexpectedBody(Throwable e) {
        LOG.errorf("unexpected failure: %s", e.getClass().getName());
        return new ErrorBody("internal_error", ErrorCode.ERROR);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 400 : e.getResponse().getStatus();
        String code;
        String message;
        if (e instanceof NotSupportedException) {
            code = ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            message = "Content-Type must be application/json";
        } else if (e instanceof NotFoundException) {
            code = ErrorCode.NOT_FOUND;
            message = "Not found";
        } else if (e instanceof NotAllowedException) {
            code = ErrorCode.METHOD_NOT_ALLOWED;
            message = "Method not allowed";
        } else if (e instanceof NotAcceptableException) {
            code = ErrorCode.NOT_ACCEPTABLE;
            message = "Only application/json responses are available";
        } else if (status >= 500) {
            LOG.errorf("request failed: %s", e.getClass().getName());
            code = ErrorCode.ERROR;
            message = "internal_error";
        } else {
            return Response.status(status).type(MediaType.APPLICATION_JSON).entity(malformedBody()).build();
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(message, code)).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        return Response.status(500).type(MediaType.APPLICATION_JSON).entity(unexpectedBody(e)).build();
    }
}
