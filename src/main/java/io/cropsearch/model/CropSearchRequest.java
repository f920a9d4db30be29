package io.cropsearch.model;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The body of {@code POST /v2/face-recognition/search/crops} and {@code POST /v2/face-recognition/search}, after JSON
 * types were checked. Both share every rule but {@code min_score}'s lower bound: the constraints of one endpoint only
 * carry its validation group ({@link Crops}, {@link Photos}), the rest are in the default group. The constraint messages
 * follow the Joi style of Verifik's own errors; {@link io.cropsearch.validation.CropSearchValidator} turns them into
 * the contract's error body.
 */
public record CropSearchRequest(
        @NotNull(message = "\"images\" is required")
        @Size(min = 1, message = "\"images\" must contain at least 1 items")
        @Size(max = MAX_IMAGES, message = "\"images\" must contain less than or equal to " + MAX_IMAGES + " items")
        List<String> images,

        @Size(min = 1, message = "\"collection_id\" is not allowed to be empty")
        @Size(max = 128, message = "\"collection_id\" length must be less than or equal to 128 characters long")
        @Pattern(regexp = "[A-Za-z0-9_.:-]*",
                message = "\"collection_id\" must only contain letters, digits and the characters _ . : -")
        String collectionId,

        @Min(value = 1, message = "\"max_results\" must be greater than or equal to 1")
        @Max(value = MAX_RESULTS, message = "\"max_results\" must be less than or equal to " + MAX_RESULTS)
        Long maxResults,

        @NotNull(message = "\"min_score\" is required")
        @DecimalMin(value = "0.5", groups = Crops.class,
                message = "\"min_score\" must be greater than or equal to 0.5")
        @DecimalMin(value = "0.2", groups = Photos.class,
                message = "\"min_score\" must be greater than or equal to 0.2")
        @DecimalMax(value = "1", message = "\"min_score\" must be less than or equal to 1")
        Double minScore,

        @NotNull(message = "\"search_mode\" is required")
        SearchMode searchMode) {

    /** Validation group of {@code /search/crops}'s own rules (face crops: {@code min_score} 0.5-1). */
    public interface Crops {
    }

    /** Validation group of {@code /search}'s own rules (whole photos: {@code min_score} 0.2-1). */
    public interface Photos {
    }

    /** Verifik's 1:N searches take 1-3 images of the same person. */
    public static final int MAX_IMAGES = 3;
    /** Verifik lists pages of at most 100; a search asks for no more. */
    public static final int MAX_RESULTS = 100;

    public CropSearchRequest {
        images = images == null ? null : List.copyOf(images);
    }
}
