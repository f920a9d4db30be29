package io.cropsearch.search.verifik;

/**
 * The upstream endpoints this function forwards to. Each has its own fault-tolerance policy (retry and circuit breaker,
 * built by {@link VerifikUpstream} from the same settings): a failing {@code /detect} must not open the breaker that
 * guards crop searches. {@code dataIsArray} says what a well-formed success carries in {@code data}.
 */
public enum VerifikEndpoint {
    SEARCH_CROPS("search-crops", true),
    SEARCH("search", true),
    DETECT("detect", true),
    VERIFY("verify", false),
    COMPARE("compare", false);

    /** Used in the policy's name, logs and metrics. */
    public final String label;
    final boolean dataIsArray;

    VerifikEndpoint(String label, boolean dataIsArray) {
        this.label = label;
        this.dataIsArray = dataIsArray;
    }
}
