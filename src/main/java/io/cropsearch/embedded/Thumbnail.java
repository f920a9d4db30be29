package io.cropsearch.embedded;

/** A small JPEG of an enrolled image, base64-encoded, as Verifik returns thumbnails. */
public record Thumbnail(String id, String thumbnail) {
}
