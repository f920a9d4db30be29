package io.cropsearch.search.verifik;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.cropsearch.validation.SearchImage;
import io.cropsearch.validation.ValidatedSearch;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** What is sent upstream: only validated fields, images normalised to raw base64 or https URLs. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpstreamSearchBody(
        List<String> images,
        @JsonProperty("collection_id") String collectionId,
        @JsonProperty("max_results") Integer maxResults,
        @JsonProperty("min_score") double minScore,
        @JsonProperty("search_mode") String searchMode) {

    public static UpstreamSearchBody of(ValidatedSearch search) {
        return new UpstreamSearchBody(
                search.images().stream().map(SearchImage::upstreamValue).toList(),
                search.collectionId().orElse(null),
                search.maxResults().orElse(null),
                search.minScore(),
                search.searchMode().name());
    }
}
