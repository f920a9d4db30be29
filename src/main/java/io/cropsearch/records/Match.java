package io.cropsearch.records;

import java.util.List;

/** One candidate person, as kept in a record: ids and score only, never thumbnail bytes. */
public record Match(String personId, String name, double score, List<String> thumbnailIds) {

    public Match {
        thumbnailIds = List.copyOf(thumbnailIds);
    }
}
