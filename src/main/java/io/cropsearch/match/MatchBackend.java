package io.cropsearch.match;

import io.cropsearch.search.Deadline;
import io.cropsearch.search.SearchFailure;
import io.cropsearch.search.SearchResult;
import io.cropsearch.validation.ValidatedCompare;
import io.cropsearch.validation.ValidatedVerify;

/**
 * Runs the 1:1 endpoints: verify (images against one enrolled person) and compare (two sets of images). Both answer
 * with a Verifik envelope whose {@code data} is an object ({@link SearchResult#body()}); implementations throw
 * {@link SearchFailure} (or another {@code ApiException}) when no answer could be had. docs/EMBEDDED.md and README.md
 * give the exact shapes.
 */
public interface MatchBackend {

    /** @param bearerToken the credential to call with; never logged, never stored */
    SearchResult verify(ValidatedVerify request, String bearerToken, Deadline deadline);

    /** @param bearerToken the credential to call with; never logged, never stored */
    SearchResult compare(ValidatedCompare request, String bearerToken, Deadline deadline);
}
