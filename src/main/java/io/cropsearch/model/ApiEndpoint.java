package io.cropsearch.model;

/**
 * The HTTP endpoints a search or detection arrives at, as records, metrics ({@code Endpoint} dimension) and logs name
 * them. An S3 upload is searched as one of them too: a crop as {@link #SEARCH_CROPS}, a whole photo as
 * {@link #SEARCH}.
 */
public enum ApiEndpoint {
    SEARCH_CROPS("search-crops", "/v2/face-recognition/search/crops"),
    SEARCH("search", "/v2/face-recognition/search"),
    DETECT("detect", "/v2/face-recognition/detect");

    /** The value of the records' {@code endpoint} attribute and of the metrics' {@code Endpoint} dimension. */
    public final String label;
    public final String path;

    ApiEndpoint(String label, String path) {
        this.label = label;
        this.path = path;
    }
}
