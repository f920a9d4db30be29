package io.cropsearch.search;

import io.cropsearch.validation.ValidatedSearch;

/** Runs a validated crop search. Implementations throw {@link SearchFailure} when no result could be had. */
public interface SearchBackend {

    /**
     * @param bearerToken the credential to search with; never logged, never stored
     * @param deadline    when the search must have ended, retries included
     */
    SearchResult search(ValidatedSearch search, String bearerToken, Deadline deadline);
}
