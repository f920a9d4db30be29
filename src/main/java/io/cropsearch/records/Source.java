package io.cropsearch.records;

/** Which way in a search came through; stored lower-case in the {@code source} attribute. */
public enum Source {
    API,
    S3;

    public String attributeValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
