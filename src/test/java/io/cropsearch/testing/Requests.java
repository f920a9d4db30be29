package io.cropsearch.testing;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import java.util.List;
import java.util.Map;

/** Small helpers to talk to the function like an API Gateway caller would. */
public final class Requests {
    public static final String PATH = "/v2/face-recognition/search/crops";
    public static final String TOKEN = "tok-SECRET-should-never-leak-42";

    private Requests() {
    }

    public static Map<String, Object> validBody() {
        return new java.util.LinkedHashMap<>(Map.of(
                "images", List.of(TestImages.jpegBase64(120, 120)),
                "collection_id", "col-123",
                "min_score", 0.7,
                "search_mode", "FAST",
                "max_results", 10));
    }

    public static ValidatableResponse post(Object body) {
        return RestAssured.given()
                .header("Authorization", "Bearer " + TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .post(PATH)
                .then();
    }

    public static ValidatableResponse postRaw(String body) {
        return RestAssured.given()
                .header("Authorization", "Bearer " + TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .post(PATH)
                .then();
    }
}
