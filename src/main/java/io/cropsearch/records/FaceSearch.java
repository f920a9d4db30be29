package io.cropsearch.records;

import io.cropsearch.search.ProbeFace;

import java.util.List;

/**
 * One face's search in an all-faces record: which face (box, detection score), its matches (capped like a record's
 * own) and how many candidates there were before capping.
 */
public record FaceSearch(ProbeFace face, List<Match> matches, int matchCount) {
    public FaceSearch {
        matches = List.copyOf(matches);
    }

    FaceSearch halved() {
        return new FaceSearch(face, matches.subList(0, matches.size() / 2), matchCount);
    }
}
