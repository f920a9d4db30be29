package io.cropsearch.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * A stored result record as read back for people to browse: what was searched where, when, and what came of it. Built
 * from an item by {@link ItemShape#summary} only. It carries what the item carries minus the bookkeeping (keys,
 * timings, metadata, thumbnail ids); an item never holds an image or a token, so neither can this. Serialised by
 * Jackson, also in a native image.
 *
 * @param endpoint   {@code verify} or {@code search}; null for crop searches (as in the item)
 * @param collection the search's {@code collection_id}; null when it named none
 * @param matches    best first, as stored (at most {@code crop-search.records.max-matches})
 * @param error      the failure of a REJECTED or FAILED record
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordSummary(String recordId, String createdAt, String status, String endpoint, String collection,
                            Origin source, List<MatchSummary> matches, MatchSummary topMatch, ErrorSummary error,
                            String skipReason) {

    public RecordSummary {
        matches = matches == null ? List.of() : List.copyOf(matches);
    }

    /** Where the search came from: {@code api} (an HTTP request) or {@code s3} (an upload: its bucket and key). */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Origin(String type, String bucket, String key) {
    }

    @RegisterForReflection
    public record MatchSummary(String personId, String name, double score) {
    }

    @RegisterForReflection
    public record ErrorSummary(String code, String message) {
    }
}
