package io.cropsearch.embedded;

import io.cropsearch.testing.Requests;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole product offline: enrol persons from real face crops through the persons API, then search other crops of
 * them and get real, ranked matches from the embedded engine.
 */
@QuarkusTest
@TestProfile(EmbeddedProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedSearchTest {
    private static final List<String> PEOPLE = List.of("sample1-face1", "sample1-face2", "sample2-face1",
            "sample3-face1", "sample4-face2", "sample5-face3", "sample6-face1");
    private static String collectionId;
    private static String collectionCode;
    private static final Map<String, String> ids = new java.util.HashMap<>();

    @BeforeAll
    static void freshGallery() throws Exception {
        java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(EmbeddedProfile.GALLERY));
    }

    @Test
    @Order(1)
    void createsACollection() {
        JsonPath created = given().body(Map.of("name", "staff", "description", "test staff"))
                .post("/v2/face-recognition/collections").then().statusCode(200)
                .body("data.name", equalTo("staff")).body("data.deleted", equalTo(false))
                .extract().jsonPath();
        collectionId = created.getString("data._id");
        collectionCode = created.getString("data.code");
        assertEquals(24, collectionId.length());
        assertEquals(36, collectionCode.length());
        given().get("/v2/face-recognition/collections").then().statusCode(200).body("data.size()", equalTo(1));
    }

    @Test
    @Order(2)
    void enrolsPersonsWithThumbnails() throws Exception {
        for (String person : PEOPLE) {
            JsonPath enrolled = given().body(Map.of("name", person, "images", List.of(Crops.base64(person)),
                            "collections", List.of(collectionId), "gender", "M", "date_of_birth", "1990-01-15"))
                    .post("/v2/face-recognition/persons").then().statusCode(200)
                    .body("data.name", equalTo(person)).body("data.collections[0]", equalTo(collectionId))
                    .body("data.status", equalTo("active"))
                    .extract().jsonPath();
            ids.put(person, enrolled.getString("data._id"));
            String thumbnail = enrolled.getString("data.thumbnails[0].thumbnail");
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(thumbnail)));
            assertNotNull(decoded, "thumbnail is a readable JPEG");
            assertEquals(64, decoded.getWidth());
            assertEquals(64, decoded.getHeight());
        }
        given().get("/v2/face-recognition/persons?page=2&limit=5").then().statusCode(200)
                .body("data.size()", equalTo(2)).body("pagination.total", equalTo(PEOPLE.size()))
                .body("pagination.pages", equalTo(2));
    }

    @Test
    @Order(3)
    void aSecondEnrolmentOfTheSamePersonIs412() {
        given().body(Map.of("name", PEOPLE.get(0), "images", List.of(Crops.base64(PEOPLE.get(0))),
                        "collections", List.of(collectionId), "date_of_birth", "1990-01-15"))
                .post("/v2/face-recognition/persons").then().statusCode(412)
                .body("message", equalTo("person_already_set")).body("code", equalTo("PreconditionFailed"))
                .body("data._id", equalTo(ids.get(PEOPLE.get(0))));
    }

    @Test
    @Order(4)
    void aDifferentCropOfAnEnrolledFaceFindsThatPersonFirst() {
        for (String[] pair : new String[][] {{"sample1-face1-wide", "sample1-face1"}, {"sample1-face2-wide-odd", "sample1-face2"}}) {
            for (String mode : List.of("FAST", "ACCURATE")) {
                JsonPath result = Requests.post(Map.of("images", List.of(Crops.base64(pair[0])), "min_score", 0.5,
                        "search_mode", mode, "collection_id", collectionCode)).statusCode(200).extract().jsonPath();
                assertEquals(ids.get(pair[1]), result.getString("data[0].id"), mode + " " + pair[0]);
                List<Float> scores = result.getList("data.score", Float.class);
                for (int i = 1; i < scores.size(); i++) {
                    assertTrue(scores.get(i - 1) >= scores.get(i), "ranked by score: " + scores);
                }
                assertTrue(scores.get(0) >= 0.7f, mode + " top score " + scores.get(0));
                byte[] thumbnail = Base64.getDecoder().decode(result.getString("data[0].thumbnails[0].thumbnail"));
                assertTrue(thumbnail.length > 2 && (thumbnail[0] & 0xFF) == 0xFF && (thumbnail[1] & 0xFF) == 0xD8,
                        "the match carries its JPEG thumbnail");
            }
        }
    }

    @Test
    @Order(5)
    void minScoreAndMaxResultsBoundTheAnswer() {
        JsonPath all = Requests.post(Map.of("images", List.of(Crops.base64("sample1-face1-wide")), "min_score", 0.5,
                "search_mode", "FAST", "max_results", 2)).statusCode(200).extract().jsonPath();
        assertTrue(all.getList("data").size() <= 2);
        JsonPath strict = Requests.post(Map.of("images", List.of(Crops.base64("sample2-face2")), "min_score", 0.99,
                "search_mode", "FAST")).statusCode(200).extract().jsonPath();
        assertEquals(0, strict.getList("data").size(), "a stranger matches no one at 0.99");
    }

    @Test
    @Order(6)
    void urlsAndUnknownCollectionsAreRefused() {
        Requests.post(Map.of("images", List.of("https://example.com/a.jpg"), "min_score", 0.7, "search_mode", "FAST"))
                .statusCode(409).body("code", equalTo("InvalidParameter"));
        Requests.post(Map.of("images", List.of(Crops.base64("sample1-face1")), "min_score", 0.7, "search_mode", "FAST",
                "collection_id", "nope")).statusCode(404).body("message", equalTo("collection_not_found"));
    }

    @Test
    @Order(7)
    void personsCanBeReadDetachedAndDeleted() {
        String id = ids.get(PEOPLE.get(2));
        given().get("/v2/face-recognition/persons/" + id).then().statusCode(200).body("data.name", equalTo(PEOPLE.get(2)));
        given().delete("/v2/face-recognition/persons/" + id + "?collection=" + collectionId).then().statusCode(200);
        given().get("/v2/face-recognition/persons/" + id).then().statusCode(200).body("data.collections.size()", equalTo(0));
        given().delete("/v2/face-recognition/persons/" + id).then().statusCode(200).body("data._id", equalTo(id));
        given().get("/v2/face-recognition/persons/" + id).then().statusCode(404).body("code", equalTo("NotFound"));
    }

    @Test
    @Order(8)
    void theGallerySurvivesARestart() {
        Gallery reloaded = new Gallery(new FileGalleryStore(java.nio.file.Path.of(EmbeddedProfile.GALLERY),
                new com.fasterxml.jackson.databind.ObjectMapper()), Duration.ZERO);
        assertEquals(PEOPLE.size() - 1, reloaded.size());
        assertTrue(reloaded.collection(collectionCode).isPresent());
    }

    @Test
    @Order(9)
    void enrolmentValidatesLikeSearch() {
        given().body(Map.of("images", List.of(Crops.base64("sample1-face1")))).post("/v2/face-recognition/persons")
                .then().statusCode(409).body("message", equalTo("\"name\" is required"))
                .body("code", equalTo("MissingParameter"));
        given().body(Map.of("name", "x", "images", List.of(Base64.getEncoder().encodeToString("<svg/>".getBytes()))))
                .post("/v2/face-recognition/persons").then().statusCode(409)
                .body("message", equalTo("\"images[0]\" must be a JPEG, PNG or WebP image"));
        given().body(Map.of("name", "x", "images", List.of("https://example.com/a.jpg")))
                .post("/v2/face-recognition/persons").then().statusCode(409)
                .body("message", equalTo("\"images[0]\" must be a base64 image"));
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/v2/face-recognition/persons").then().statusCode(401);
    }

    @Test
    @Order(10)
    void imagesWithoutAFaceAreRefusedAndNothingIsEnrolled() throws Exception {
        int before = given().get("/v2/face-recognition/persons?page=1&limit=100").then().statusCode(200)
                .extract().jsonPath().getInt("pagination.total");
        for (String file : List.of("white.png", "checkerboard.png", "bbt2-200-240-250.png")) {
            java.nio.file.Path path = RealPhotos.DIR.resolve("noface").resolve(file);
            assertTrue(java.nio.file.Files.exists(path), path + " is a committed no-face probe");
            String image = Base64.getEncoder().encodeToString(java.nio.file.Files.readAllBytes(path));
            for (String mode : List.of("FAST", "ACCURATE")) {
                Requests.post(Map.of("images", List.of(image), "min_score", 0.5, "search_mode", mode)).statusCode(409)
                        .body("code", equalTo("NoFaceDetected"))
                        .body("message", equalTo("\"images[0]\" contains no detectable face"));
            }
            given().body(Map.of("name", "nobody", "images", List.of(Crops.base64("sample2-face1"), image)))
                    .post("/v2/face-recognition/persons").then().statusCode(409)
                    .body("code", equalTo("NoFaceDetected"))
                    .body("message", equalTo("\"images[1]\" contains no detectable face"));
        }
        given().get("/v2/face-recognition/persons?page=1&limit=100").then().statusCode(200)
                .body("pagination.total", equalTo(before));
    }

    @Test
    @Order(11)
    void theResultRecordKeepsTheFaceThatWasSearched() throws Exception {
        java.nio.file.Path results = java.nio.file.Path.of("target/test-results/results.jsonl");
        Requests.post(Map.of("images", List.of(Crops.base64("sample1-face2-wide-odd")), "min_score", 0.7,
                "search_mode", "ACCURATE")).statusCode(200);
        List<String> lines = java.nio.file.Files.readAllLines(results);
        var item = io.cropsearch.records.ItemShape.fromExportLine(lines.get(lines.size() - 1));
        assertEquals("ACCURATE", item.get("params").m().get("search_mode").s());
        var faces = item.get("faces").l();
        assertEquals(1, faces.size());
        var face = faces.get(0).m();
        assertEquals("0", face.get("image").n());
        double score = Double.parseDouble(face.get("detectionScore").n());
        assertTrue(score >= 0.5 && score <= 1, "detection score " + score);
        BufferedImage probe = ImageIO.read(new ByteArrayInputStream(Crops.bytes("sample1-face2-wide-odd")));
        var box = face.get("box").m();
        int left = Integer.parseInt(box.get("left").n());
        int top = Integer.parseInt(box.get("top").n());
        int right = Integer.parseInt(box.get("right").n());
        int bottom = Integer.parseInt(box.get("bottom").n());
        assertTrue(0 <= left && left < right && right <= probe.getWidth(), "x " + left + ".." + right);
        assertTrue(0 <= top && top < bottom && bottom <= probe.getHeight(), "y " + top + ".." + bottom);
        assertTrue((right - left) * (bottom - top) > probe.getWidth() * probe.getHeight() / 4,
                "a crop's face fills much of it: " + box);
    }

    private static io.restassured.specification.RequestSpecification given() {
        return RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN).contentType(ContentType.JSON);
    }
}
