package io.cropsearch.search;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One face's search of an all-faces search (an S3 photo with {@code x-amz-meta-all-faces: true}): the face, and its
 * candidates in the shape of a search answer's {@code data} array.
 */
public record FaceSearchResult(ProbeFace face, JsonNode data) {
}
