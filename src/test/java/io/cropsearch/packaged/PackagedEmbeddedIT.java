package io.cropsearch.packaged;

import io.cropsearch.embedded.EmbeddedProfile;
import io.cropsearch.testing.Requests;
import io.quarkus.test.common.DevServicesContext;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged artifact on the embedded backend: the persons API enrols real face crops, and a search with another
 * crop of one of them finds that person. In the package this needs the four nets' weights as resources and the whole
 * pure-Java pipeline, which the in-JVM tests cannot prove were packaged.
 */
@QuarkusIntegrationTest
@TestProfile(EmbeddedProfile.class)
class PackagedEmbeddedIT {

    /** Injected by {@code @QuarkusIntegrationTest}. */
    DevServicesContext devServices;

    @BeforeEach
    void eventServer() {
        EventServer.use(devServices);
    }

    /**
     * The embedded backend reads its four nets while it starts (the warm-up), and the age/gender net only for a
     * detection that asks for attributes, which no test of this class does.
     */
    @Test
    void theEmbeddedBackendReadsItsFourNetsAtStartAndNotTheAgeGenderNet() {
        assertEquals(List.of("face_landmark_68_model", "face_landmark_68_tiny_model", "face_recognition_model",
                "tiny_face_detector_model"), FunctionLog.netsRead().stream().sorted().toList());
    }

    @Test
    void enrolledPersonsAreListedAndFoundByAnotherCropOfTheirFace() {
        String collection = given().body(Map.of("name", "packaged", "description", "packaged artifact"))
                .post("/v2/face-recognition/collections").then().statusCode(200)
                .extract().jsonPath().getString("data._id");
        String amy = enrol("sample1-face1", collection);
        enrol("sample2-face1", collection);

        given().get("/v2/face-recognition/persons").then().statusCode(200)
                .body("pagination.total", equalTo(2));
        given().get("/v2/face-recognition/persons/" + amy).then().statusCode(200)
                .body("data.name", equalTo("sample1-face1"));

        for (String mode : List.of("FAST", "ACCURATE")) {
            JsonPath found = Requests.post(Map.of("images", List.of(crop("sample1-face1-wide")), "min_score", 0.5,
                    "search_mode", mode, "collection_id", collection)).statusCode(200).extract().jsonPath();
            assertEquals(amy, found.getString("data[0].id"), mode);
            assertTrue(found.getFloat("data[0].score") >= 0.7f, mode + " score " + found.getFloat("data[0].score"));
        }
    }

    @Test
    void anImageWithoutAFaceIsAContractError() {
        String checkerboard = Base64.getEncoder().encodeToString(resource("/engine/eval/noface/checkerboard.png"));
        Requests.post(Map.of("images", List.of(checkerboard), "min_score", 0.5, "search_mode", "FAST")).statusCode(409)
                .body("code", equalTo("NoFaceDetected"));
    }

    private static String enrol(String name, String collection) {
        return given().body(Map.of("name", name, "images", List.of(crop(name)), "collections", List.of(collection)))
                .post("/v2/face-recognition/persons").then().statusCode(200)
                .body("data.name", equalTo(name)).extract().jsonPath().getString("data._id");
    }

    private static io.restassured.specification.RequestSpecification given() {
        return RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN).contentType(ContentType.JSON);
    }

    /** A committed fixture crop (tools/reference/make-crops.js). */
    private static String crop(String name) {
        return Base64.getEncoder().encodeToString(resource("/engine/crops/" + name + ".png"));
    }

    private static byte[] resource(String path) {
        try (InputStream in = PackagedEmbeddedIT.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
