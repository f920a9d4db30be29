package io.cropsearch.records;

import io.cropsearch.people.DemoProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v2/crop-search/records} over the JSON-lines sink (the embedded default, the demo page on): real searches
 * by the embedded engine through the API, then read back for their collection, newest first, with limit and since;
 * bad parameters are 409s naming the parameter, never a 500.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class RecordsEndpointTest {
    private static final Path PHOTOS = Path.of("src/test/resources/engine/eval/crops");
    private static final String RECORDS = "/v2/crop-search/records";
    private static String collection;

    /** Once, before the first test (REST Assured knows the function's port only once the test instance exists). */
    @BeforeEach
    void enrolAndSearch() throws IOException {
        if (collection != null) {
            return;
        }
        collection = post("/v2/face-recognition/collections", Map.of("name", "records-" + UUID.randomUUID()))
                .then().statusCode(200).extract().path("data._id");
        for (String person : List.of("amy", "penny")) {
            post("/v2/face-recognition/persons", Map.of("name", person, "images", List.of(photo(person + "1")),
                    "collections", List.of(collection))).then().statusCode(200);
        }
        search(photo("amy3")).then().statusCode(200);
        search(photo("penny5")).then().statusCode(200);
        // A whole photo without a face: refused (409 NoFaceDetected) after validation, and recorded as such.
        post("/v2/face-recognition/search", Map.of("images", List.of(flatGrey(160)),
                "collection_id", collection, "min_score", 0.7, "search_mode", "FAST")).then().statusCode(409);
    }

    @Test
    void theCollectionsSearchesNewestFirstWithTheirOutcome() {
        JsonPath body = records(Map.of("collection_id", collection)).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> data = body.getList("data");
        assertEquals(3, data.size(), "the three searches of this collection: " + data);
        assertEquals("REJECTED", body.getString("data[0].status"));
        assertEquals("NoFaceDetected", body.getString("data[0].error.code"));
        assertTrue(body.getString("data[0].error.message").contains("\"images[0]\""), body.getString("data[0].error.message"));
        assertNull(body.get("data[0].topMatch"));
        assertEquals("search", body.getString("data[0].endpoint"), "a whole-photo search");
        assertNull(body.get("data[1].endpoint"), "a crop search");

        assertEquals("MATCHED", body.getString("data[1].status"));
        assertEquals("penny", body.getString("data[1].topMatch.name"));
        assertEquals("penny", body.getString("data[1].matches[0].name"));
        assertTrue(body.getDouble("data[1].topMatch.score") >= 0.7);
        assertEquals("amy", body.getString("data[2].topMatch.name"));
        for (int i = 0; i < 3; i++) {
            assertEquals(collection, body.getString("data[" + i + "].collection"));
            assertEquals("api", body.getString("data[" + i + "].source.type"));
            assertFalse(body.getString("data[" + i + "].recordId").isEmpty());
        }
        assertTrue(body.getString("data[1].createdAt").compareTo(body.getString("data[2].createdAt")) >= 0);
        String raw = body.prettify();
        assertFalse(raw.contains("thumbnail") || raw.contains("base64") || raw.contains("images\""),
                "no image and no thumbnail in records: " + raw);
    }

    @Test
    void limitAndSinceNarrowTheAnswer() {
        JsonPath all = records(Map.of("collection_id", collection)).then().statusCode(200).extract().jsonPath();
        JsonPath one = records(Map.of("collection_id", collection, "limit", "1")).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(all.getString("data[0].recordId")), one.getList("data.recordId"));

        String secondCreated = all.getString("data[1].createdAt");
        JsonPath since = records(Map.of("collection_id", collection, "since", secondCreated)).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(all.getList("data.recordId").subList(0, 2), since.getList("data.recordId"),
                "since is inclusive");
        // An offset is an instant too.
        JsonPath later = records(Map.of("collection_id", collection, "since", "2999-01-01T01:00:00+01:00"))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(), later.getList("data"));
    }

    @Test
    void aCollectionWithoutSearchesHasNoRecords() {
        assertEquals(List.of(), records(Map.of("collection_id", "never-searched-" + UUID.randomUUID()))
                .then().statusCode(200).extract().jsonPath().getList("data"));
    }

    @Test
    void badParametersAre409sNamingTheParameter() {
        Map<Map<String, String>, String> cases = new LinkedHashMap<>();
        cases.put(Map.of("collection_id", "no spaces"), "\"collection_id\" must only contain");
        cases.put(Map.of("collection_id", "x".repeat(129)), "\"collection_id\" length must be less than or equal to 128");
        cases.put(Map.of("since", "yesterday"), "\"since\" must be a valid ISO 8601 date-time");
        cases.put(Map.of("since", "2026-11-30"), "\"since\" must be a valid ISO 8601 date-time");
        cases.put(Map.of("limit", "0"), "\"limit\" must be greater than or equal to 1");
        cases.put(Map.of("limit", "-3"), "\"limit\" must be greater than or equal to 1");
        cases.put(Map.of("limit", "51"), "\"limit\" must be less than or equal to 50");
        cases.put(Map.of("limit", "99999999999999999999"), "\"limit\" must be less than or equal to 50");
        cases.put(Map.of("limit", "ten"), "\"limit\" must be an integer");
        cases.put(Map.of("limit", "1.5"), "\"limit\" must be an integer");
        cases.forEach((query, message) -> {
            Response response = records(query);
            assertEquals(409, response.statusCode(), query + ": " + response.asString());
            assertEquals("InvalidParameter", response.jsonPath().getString("code"), query.toString());
            assertTrue(response.jsonPath().getString("message").startsWith(message),
                    query + ": " + response.jsonPath().getString("message"));
        });
        records(Map.of("limit", "50")).then().statusCode(200);
        // The Lambda HTTP layer drops a query parameter's empty value: "collection_id=" is no collection_id.
        records(Map.of("collection_id", "", "limit", "")).then().statusCode(200);
        records(Map.of("limit", "1")).then().statusCode(200);
    }

    @Test
    void withoutABearerTokenIt401s() {
        Response response = RestAssured.given().queryParam("collection_id", collection).get(RECORDS);
        assertEquals(401, response.statusCode());
        assertEquals("UNAUTHORIZED", response.jsonPath().getString("code"));
    }

    private static Response records(Map<String, String> query) {
        return RestAssured.given().header("Authorization", "Bearer records-test").queryParams(query).get(RECORDS);
    }

    private static Response search(String image) {
        return post("/v2/face-recognition/search/crops", Map.of("images", List.of(image), "collection_id", collection,
                "min_score", 0.7, "search_mode", "FAST"));
    }

    private static Response post(String path, Object body) {
        return RestAssured.given().header("Authorization", "Bearer records-test").contentType(ContentType.JSON)
                .body(body).post(path);
    }

    /** A photo of one flat grey: nothing a face detector could take for a face. */
    private static String flatGrey(int side) throws IOException {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, side, side);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static String photo(String name) throws IOException {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(PHOTOS.resolve(name + ".png")));
    }
}
