package io.cropsearch.search;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;

/**
 * A successful search: the upstream's body exactly as received (unknown fields kept), how many upstream attempts it
 * took, how long the search ran, and the face searched in each query image (the embedded engine's; empty for an
 * upstream that does not say).
 */
public record SearchResult(ObjectNode body, int attempts, Duration elapsed, List<ProbeFace> faces) {

    public SearchResult {
        faces = List.copyOf(faces);
    }

    public SearchResult(ObjectNode body, int attempts, Duration elapsed) {
        this(body, attempts, elapsed, List.of());
    }
}
