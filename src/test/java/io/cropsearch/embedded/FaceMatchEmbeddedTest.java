package io.cropsearch.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.testing.Requests;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verify and compare on the embedded engine with the real evaluation photos (face crops of face-api.js's example
 * images): amy's other photo verifies as amy above 0.7 and not as penny; compare tells the same person from another.
 */
@QuarkusTest
@TestProfile(FaceMatchEmbeddedProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaceMatchEmbeddedTest {
    private static final Path EVAL = Path.of("src/test/resources/engine/eval");
    private static final Path RESULTS = Path.of("target/test-results/results.jsonl");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ids = new HashMap<>();
    private static String cast;

    @BeforeAll
    static void freshGallery() throws Exception {
        Files.deleteIfExists(Path.of(FaceMatchEmbeddedProfile.GALLERY));
    }

    static String photo(String name) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(EVAL.resolve("crops").resolve(name + ".png")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @Order(1)
    void enrolsAmyAndPennyInACollectionAndLeonardOutsideIt() {
        cast = given().body(Map.of("name", "cast")).post("/v2/face-recognition/collections").then().statusCode(200)
                .extract().jsonPath().getString("data._id");
        for (String person : List.of("amy", "penny", "leonard")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", person);
            body.put("images", List.of(photo(person + "1")));
            body.put("gender", person.equals("leonard") ? "M" : "F");
            body.put("date_of_birth", "1990-01-15");
            if (!person.equals("leonard")) {
                body.put("collections", List.of(cast));
            }
            ids.put(person, given().body(body).post("/v2/face-recognition/persons").then().statusCode(200)
                    .extract().jsonPath().getString("data._id"));
        }
    }

    @Test
    @Order(2)
    void amysOtherPhotoVerifiesAsAmyAboveTheSamePersonThreshold() {
        for (String mode : List.of("FAST", "ACCURATE")) {
            JsonPath match = verify(ids.get("amy"), List.of(photo("amy2")), 0.7, mode, cast).statusCode(200)
                    .body("data.match.id", equalTo(ids.get("amy"))).body("data.match.name", equalTo("amy"))
                    .body("data.match.gender", equalTo("F")).body("data.match.date_of_birth", equalTo("1990-01-15"))
                    .body("data.match.collections", equalTo(List.of(cast)))
                    .body("signature.message", equalTo("Certified by crop search (embedded engine)"))
                    .extract().jsonPath();
            float score = match.getFloat("data.match.score");
            assertTrue(score > 0.7f && score <= 1f, mode + " score " + score);
            String thumbnail = match.getString("data.match.thumbnails[0].thumbnail");
            byte[] jpeg = Base64.getDecoder().decode(thumbnail);
            assertTrue((jpeg[0] & 0xFF) == 0xFF && (jpeg[1] & 0xFF) == 0xD8, "the enrolled thumbnail, a JPEG");
            assertFalse(match.getString("data.match.thumbnails[0].id").isEmpty());
        }
    }

    @Test
    @Order(3)
    void amysPhotoDoesNotVerifyAsPenny() {
        for (String mode : List.of("FAST", "ACCURATE")) {
            float score = verify(ids.get("penny"), List.of(photo("amy2")), 0.7, mode, null).statusCode(200)
                    .body("data.match", nullValue()).extract().jsonPath().getFloat("data.score");
            assertTrue(score < 0.7f && score >= 0f, mode + " best score of a non-match " + score);
        }
    }

    @Test
    @Order(4)
    void severalImagesAreAveragedAsASearchAveragesThem() {
        float one = verify(ids.get("amy"), List.of(photo("amy2")), 0.5, "FAST", null).statusCode(200)
                .extract().jsonPath().getFloat("data.match.score");
        float two = verify(ids.get("amy"), List.of(photo("amy2"), photo("amy3")), 0.5, "FAST", null).statusCode(200)
                .extract().jsonPath().getFloat("data.match.score");
        assertTrue(two > 0.7f, "two photos of amy still verify: " + two);
        assertTrue(one != two, "the second image counts: " + one + " vs " + two);
    }

    @Test
    @Order(5)
    void unknownPersonsAndPersonsOutsideTheCollectionAre404() {
        verify("000000000000000000000000", List.of(photo("amy2")), 0.7, "FAST", null).statusCode(404)
                .body("message", equalTo("person_not_found")).body("code", equalTo("NotFound"));
        verify(ids.get("leonard"), List.of(photo("leonard2")), 0.7, "FAST", cast).statusCode(404)
                .body("message", equalTo("person_not_found")).body("code", equalTo("NotFound"));
        verify(ids.get("amy"), List.of(photo("amy2")), 0.7, "FAST", "no-such-collection").statusCode(404)
                .body("message", equalTo("collection_not_found")).body("code", equalTo("NotFound"));
        // Without the scope leonard is found and verified.
        verify(ids.get("leonard"), List.of(photo("leonard2")), 0.7, "FAST", null).statusCode(200)
                .body("data.match.id", equalTo(ids.get("leonard")));
    }

    @Test
    @Order(6)
    void anImageWithoutAFaceIs409OnBothEndpoints() throws Exception {
        String blank = Base64.getEncoder().encodeToString(Files.readAllBytes(EVAL.resolve("noface/white.png")));
        verify(ids.get("amy"), List.of(photo("amy2"), blank), 0.7, "FAST", null).statusCode(409)
                .body("code", equalTo("NoFaceDetected")).body("message", equalTo("\"images[1]\" contains no detectable face"));
        compare(List.of(photo("amy2")), List.of(blank), null, null).statusCode(409)
                .body("code", equalTo("NoFaceDetected")).body("message", equalTo("\"gallery[0]\" contains no detectable face"));
        compare(List.of(blank), List.of(photo("amy2")), null, null).statusCode(409)
                .body("message", equalTo("\"probe[0]\" contains no detectable face"));
    }

    @Test
    @Order(7)
    void compareTellsTheSamePersonFromAnother() {
        for (String mode : List.of("FAST", "ACCURATE")) {
            JsonPath same = compare(List.of(photo("amy2")), List.of(photo("amy3")), mode, 0.7).statusCode(200)
                    .body("data.compare_min_score", equalTo(0.7f)).body("data.passed", equalTo(true))
                    .extract().jsonPath();
            assertTrue(same.getFloat("data.score") > 0.7f, mode + " amy vs amy " + same.getFloat("data.score"));
            JsonPath other = compare(List.of(photo("amy2")), List.of(photo("penny2")), mode, 0.7).statusCode(200)
                    .body("data.passed", equalTo(false)).extract().jsonPath();
            assertTrue(other.getFloat("data.score") < 0.7f, mode + " amy vs penny " + other.getFloat("data.score"));
        }
        // Without a threshold: the score alone; the gallery side's closest image counts.
        JsonPath plain = compare(List.of(photo("amy2")), List.of(photo("penny2"), photo("amy3")), null, null)
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("score"), List.copyOf(plain.getMap("data").keySet()));
        assertTrue(plain.getFloat("data.score") > 0.7f, "amy3 among the gallery images: " + plain.getFloat("data.score"));
    }

    @Test
    @Order(8)
    void aVerifyLeavesARecordNamingItsEndpointAndTheFaceItUsed() throws Exception {
        String collectionCode = given().get("/v2/face-recognition/collections/" + cast).then().statusCode(200)
                .extract().jsonPath().getString("data.code");
        verify(ids.get("amy"), List.of(photo("amy4")), 0.7, "ACCURATE", collectionCode).statusCode(200)
                .body("data.match.id", equalTo(ids.get("amy")));
        JsonNode record = null;
        for (String line : Files.readAllLines(RESULTS)) {
            JsonNode item = JSON.readTree(line).path("Item");
            if (collectionCode.equals(item.path("params").path("M").path("collection_id").path("S").asText())) {
                record = item;
            }
        }
        assertTrue(record != null, "a record for the verify");
        assertEquals("verify", record.path("endpoint").path("S").asText());
        assertEquals("MATCHED", record.path("status").path("S").asText());
        assertEquals("PERSON#" + ids.get("amy"), record.path("gsi2pk").path("S").asText());
        assertEquals("ACCURATE", record.path("params").path("M").path("search_mode").path("S").asText());
        assertEquals(1, record.path("faces").path("L").size(), "the face found in the one image");
    }

    @Test
    @Order(9)
    void theSampleEventsAnswerAsReadmeSays() throws Exception {
        io.restassured.response.Response compared = io.cropsearch.testing.LambdaEvents.deliver(
                Files.readString(Path.of("infra/events/http-compare.json")));
        JsonNode response = JSON.readTree(compared.asString());
        assertEquals(200, response.path("statusCode").asInt(), compared.asString());
        JsonNode data = JSON.readTree(response.path("body").asText()).path("data");
        assertTrue(data.path("passed").asBoolean(), "amy2 against amy3: " + data);
        assertEquals(0.7, data.path("compare_min_score").asDouble());

        io.restassured.response.Response verified = io.cropsearch.testing.LambdaEvents.deliver(
                Files.readString(Path.of("infra/events/http-verify.json")));
        response = JSON.readTree(verified.asString());
        assertEquals(404, response.path("statusCode").asInt(), verified.asString());
        JsonNode body = JSON.readTree(response.path("body").asText());
        assertEquals("person_not_found", body.path("message").asText(), "the sample's id is enrolled nowhere: " + body);
        assertEquals("NotFound", body.path("code").asText());
    }

    private static ValidatableResponse verify(String id, List<String> images, double minScore, String mode,
                                              String collection) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("images", images);
        body.put("min_score", minScore);
        body.put("search_mode", mode);
        if (collection != null) {
            body.put("collection_id", collection);
        }
        return given().body(body).post("/v2/face-recognition/verify").then();
    }

    private static ValidatableResponse compare(List<String> probe, List<String> gallery, String mode, Double threshold) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("probe", probe);
        body.put("gallery", gallery);
        if (mode != null) {
            body.put("search_mode", mode);
        }
        if (threshold != null) {
            body.put("compare_min_score", threshold);
        }
        return given().body(body).post("/v2/face-recognition/compare").then();
    }

    private static io.restassured.specification.RequestSpecification given() {
        return RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN).contentType(ContentType.JSON)
                .header("X-Correlation-Id", "match-" + UUID.randomUUID());
    }
}
