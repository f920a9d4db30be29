package io.cropsearch.search;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;

/**
 * A successful search: the upstream's body exactly as received (unknown fields kept), how many upstream attempts it
 * took, how long the search ran, and the face searched in each query image (the embedded engine's; empty for an
 * upstream that does not say).
 */
public record SearchResult(ObjectNode body, int attempts, Duration elapsed, List<ProbeFace> faces,
                           List<FaceSearchResult> perFace) {

    public SearchResult {
        faces = List.copyOf(faces);
        perFace = List.copyOf(perFace);
    }

    /**
     * A search of one face per query image. (An all-faces search also gives {@code perFace}, one search per face
     * found; its {@code data} then holds every face's candidates, each person once at their best score.)
     */
    public SearchResult(ObjectNode body, int attempts, Duration elapsed, List<ProbeFace> faces) {
        this(body, attempts, elapsed, faces, List.of());
    }

    public SearchResult(ObjectNode body, int attempts, Duration elapsed) {
        this(body, attempts, elapsed, List.of());
    }
}
