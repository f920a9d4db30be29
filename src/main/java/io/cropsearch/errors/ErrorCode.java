package io.cropsearch.errors;

/**
 * Codes of the contract's error body. The first four are Verifik's own; the rest name what the function itself refuses
 * before anything leaves it. README.md lists them with their statuses.
 */
public final class ErrorCode {
    public static final String MISSING_PARAMETER = "MissingParameter";
    public static final String UNAUTHORIZED = "UNAUTHORIZED";
    public static final String FORBIDDEN = "FORBIDDEN";
    public static final String ERROR = "ERROR";

    public static final String INVALID_PARAMETER = "InvalidParameter";
    public static final String MALFORMED_BODY = "MalformedBody";
    public static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    public static final String NOT_FOUND = "NotFound";
    public static final String METHOD_NOT_ALLOWED = "MethodNotAllowed";
    public static final String NOT_ACCEPTABLE = "NotAcceptable";
    public static final String TIMEOUT = "TIMEOUT";
    public static final String UNAVAILABLE = "UNAVAILABLE";
    public static final String TOO_MANY_REQUESTS = "TooManyRequests";
    /** 409 from the embedded engine: an image holds no face it can find (nothing enrolled, searched or matched). */
    public static final String NO_FACE = "NoFaceDetected";
    /** 503 from the embedded engine: the stored gallery was enrolled by an older face pipeline; re-enrol. */
    public static final String GALLERY_OUTDATED = "GalleryOutdated";

    private ErrorCode() {
    }
}
