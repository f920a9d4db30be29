package io.cropsearch.photos;

import io.cropsearch.embedded.EmbeddedProfile;
import io.cropsearch.testing.Requests;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole photos through the embedded engine, with real photos from face-api.js's examples: {@code /detect} finds every
 * face where it is (four on bbt1, five on bbt3, one on a portrait) with plausible landmarks and face thumbnails;
 * enrolment takes a whole photo by its largest face; {@code /search} finds the person enrolled from a photo.
 */
@QuarkusTest
@TestProfile(EmbeddedProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedPhotosTest {
    private static final String DETECT = "/v2/face-recognition/detect";
    private static final String SEARCH = "/v2/face-recognition/search";

    @BeforeAll
    static void freshGallery() throws Exception {
        Files.deleteIfExists(Path.of(EmbeddedProfile.GALLERY));
    }

    private static RequestSpecification given() {
        return RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN).contentType(ContentType.JSON);
    }

    private static List<Map<String, Object>> detect(String file, int width, int height, int faces) throws Exception {
        JsonPath answer = given().body(Map.of("image", Photos.base64(file), "return_landmarks", true))
                .post(DETECT).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> data = answer.getList("data");
        assertEquals(faces, data.size(), file + ": faces found " + data);
        assertNotNull(answer.getString("id"));
        assertNotNull(answer.getString("signature.message"));
        double previousArea = Double.MAX_VALUE;
        for (int i = 0; i < data.size(); i++) {
            String at = "data[" + i + "].";
            int left = answer.getInt(at + "box.left");
            int top = answer.getInt(at + "box.top");
            int right = answer.getInt(at + "box.right");
            int bottom = answer.getInt(at + "box.bottom");
            assertTrue(0 <= left && left < right && right <= width && 0 <= top && top < bottom && bottom <= height,
                    file + " box inside the image: " + data.get(i).get("box"));
            double area = (double) (right - left) * (bottom - top);
            // Largest first by the detector's own (fractional) boxes; the answer's are rounded and clipped to the image.
            assertTrue(area <= previousArea * 1.1, "largest face first: " + area + " after " + previousArea);
            previousArea = area;
            assertTrue(answer.getDouble(at + "detection_score") >= 0.5 && answer.getDouble(at + "detection_score") <= 1);
            assertEquals(List.of(), answer.getList(at + "persons"));
            assertFalse(data.get(i).containsKey("attributes"));

            List<Integer> leftEye = answer.getList(at + "landmarks.left_eye");
            List<Integer> rightEye = answer.getList(at + "landmarks.right_eye");
            List<Integer> nose = answer.getList(at + "landmarks.nose");
            List<Integer> leftMouth = answer.getList(at + "landmarks.left_mouth");
            List<Integer> rightMouth = answer.getList(at + "landmarks.right_mouth");
            for (List<Integer> point : List.of(leftEye, rightEye, nose, leftMouth, rightMouth)) {
                assertEquals(2, point.size());
                assertTrue(point.get(0) >= left && point.get(0) <= right && point.get(1) >= top
                        && point.get(1) <= bottom, file + ": landmark " + point + " inside its face box "
                        + data.get(i).get("box"));
            }
            assertTrue(leftEye.get(0) < rightEye.get(0), "left_eye is the image's left one");
            assertTrue(leftMouth.get(0) < rightMouth.get(0));
            assertTrue(nose.get(0) > leftEye.get(0) && nose.get(0) < rightEye.get(0), "nose between the eyes");
            assertTrue(nose.get(1) > Math.min(leftEye.get(1), rightEye.get(1)), "nose below the eyes");
            assertTrue(leftMouth.get(1) > nose.get(1) - 5 && rightMouth.get(1) > nose.get(1) - 5, "mouth below the nose");

            BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(
                    Base64.getDecoder().decode(answer.getString(at + "thumbnail"))));
            assertNotNull(thumbnail, "a readable JPEG");
            assertEquals(thumbnail.getWidth(), thumbnail.getHeight(), "a square on the face");
            assertTrue(thumbnail.getWidth() <= 64 && thumbnail.getWidth() >= 16);
        }
        return data;
    }

    @Test
    @Order(1)
    void detectFindsEveryFaceOfTheGroupPhotos() throws Exception {
        List<Map<String, Object>> bbt1 = detect("bbt1.jpg", 1366, 768, 4);
        // The four sit side by side: their faces are in the upper half, one per quarter of the width.
        boolean[] quarter = new boolean[4];
        for (Map<String, Object> face : bbt1) {
            @SuppressWarnings("unchecked")
            Map<String, Integer> box = (Map<String, Integer>) face.get("box");
            assertTrue(box.get("bottom") < 384, "face in the upper half: " + box);
            quarter[Math.min(3, (box.get("left") + box.get("right")) / 2 / (1366 / 4))] = true;
        }
        assertTrue(quarter[0] && quarter[1] && quarter[2] && quarter[3], "one face per person: " + bbt1);
        detect("bbt3.jpg", 594, 383, 5);
    }

    @Test
    @Order(2)
    void detectFindsThePortraitsFaceWhereItIs() throws Exception {
        List<Map<String, Object>> happy = detect("happy.jpg", 500, 282, 1);
        @SuppressWarnings("unchecked")
        Map<String, Integer> box = (Map<String, Integer>) happy.get(0).get("box");
        // Her face spans about x 265-415, y 25-215 of the 500x282 photo; the box holds its centre and stays near it.
        assertTrue(box.get("left") < 335 && box.get("right") > 335 && box.get("top") < 120 && box.get("bottom") > 120,
                box.toString());
        assertTrue(box.get("left") > 200 && box.get("right") < 470 && box.get("bottom") - box.get("top") > 80,
                box.toString());
    }

    @Test
    @Order(3)
    void detectWithoutLandmarksOrOnAFacelessImageOrAUrl() throws Exception {
        JsonPath withAttributes = given().body(Map.of("image", Photos.base64("happy.jpg"), "return_attributes", true))
                .post(DETECT).then().statusCode(200).body("data.size()", equalTo(1))
                .body("data[0].landmarks", equalTo(null)).extract().jsonPath();
        // A young woman (face-api.js's example "happy.jpg"): the net must say F, and an adult's age.
        assertEquals("F", withAttributes.getString("data[0].attributes.gender"));
        double probability = withAttributes.getDouble("data[0].attributes.gender_probability");
        assertTrue(probability >= 0.5 && probability <= 1, "probability " + probability);
        int age = withAttributes.getInt("data[0].attributes.age");
        assertTrue(age >= 15 && age <= 45, "age " + age);
        byte[] wall = Files.readAllBytes(Path.of("src/test/resources/engine/eval/noface/bbt2-200-240-250.png"));
        given().body(Map.of("image", Base64.getEncoder().encodeToString(wall))).post(DETECT).then()
                .statusCode(200).body("data.size()", equalTo(0));
        given().body(Map.of("image", "https://images.example.com/a.jpg")).post(DETECT).then().statusCode(409)
                .body("code", equalTo("InvalidParameter"))
                .body("message", equalTo("\"image\" is a URL; the embedded backend works offline and needs a base64 image"));
    }

    @Test
    @Order(4)
    void aPersonEnrolledFromAWholePhotoIsFoundByTheStandardSearch() throws Exception {
        JsonPath enrolled = given().body(Map.of("name", "happy", "images", List.of(Photos.base64("happy.jpg"))))
                .post("/v2/face-recognition/persons").then().statusCode(200).extract().jsonPath();
        String id = enrolled.getString("data._id");
        BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(enrolled.getString("data.thumbnails[0].thumbnail"))));
        assertEquals(64, thumbnail.getWidth(), "the face's square, not the photo's centre");
        JsonPath bbt = given().body(Map.of("name", "bbt1-largest", "images", List.of(Photos.base64("bbt1.jpg"))))
                .post("/v2/face-recognition/persons").then().statusCode(200).extract().jsonPath();

        // The same photo, mirrored nothing: the top match is the person enrolled from it, at a near-perfect score.
        JsonPath found = given().body(Map.of("images", List.of(Photos.base64("happy.jpg")), "min_score", 0.2,
                "search_mode", "FAST")).post(SEARCH).then().statusCode(200).extract().jsonPath();
        assertEquals(id, found.getString("data[0].id"));
        assertTrue(found.getDouble("data[0].score") >= 0.95, "score " + found.getDouble("data[0].score"));
        // The group photo is searched by its largest face: the person enrolled from that photo's largest face.
        JsonPath group = given().body(Map.of("images", List.of(Photos.base64("bbt1.jpg")), "min_score", 0.8,
                "search_mode", "ACCURATE")).post(SEARCH).then().statusCode(200).extract().jsonPath();
        assertEquals(bbt.getString("data._id"), group.getString("data[0].id"));
        assertTrue(group.getList("data.id").stream().noneMatch(id::equals), "not the portrait: " + group.getList("data"));
    }

    @Test
    @Order(5)
    void theStandardSearchRefusesAFacelessPhotoAndAUrl() throws Exception {
        byte[] wall = Files.readAllBytes(Path.of("src/test/resources/engine/eval/noface/bbt2-200-240-250.png"));
        given().body(Map.of("images", List.of(Base64.getEncoder().encodeToString(wall)), "min_score", 0.5,
                "search_mode", "FAST")).post(SEARCH).then().statusCode(409).body("code", equalTo("NoFaceDetected"));
        given().body(Map.of("images", List.of("https://images.example.com/a.jpg"), "min_score", 0.5,
                "search_mode", "FAST")).post(SEARCH).then().statusCode(409).body("code", equalTo("InvalidParameter"));
    }
}
