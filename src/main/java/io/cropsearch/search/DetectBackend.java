package io.cropsearch.search;

import io.cropsearch.validation.ValidatedDetect;

/**
 * Runs a validated {@code /detect}: one entry per face in {@code data}, in the Verifik shape. Implementations throw
 * {@link SearchFailure} when no answer could be had. The answer travels as a {@link SearchResult} (body, upstream
 * attempts, time); its {@code faces} stay empty, the body says where the faces are.
 */
public interface DetectBackend {

    /**
     * @param bearerToken the credential to call the upstream with; never logged, never stored
     * @param deadline    when the detection must have ended, retries included
     */
    SearchResult detect(ValidatedDetect request, String bearerToken, Deadline deadline);
}
