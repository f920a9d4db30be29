package io.cropsearch.embedded;

import io.cropsearch.testing.AwsServersProfile;
import io.cropsearch.testing.LambdaEvents;
import io.cropsearch.testing.Requests;
import io.cropsearch.testing.ResultsTable;
import io.cropsearch.testing.S3Events;
import io.cropsearch.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3 uploads searched by the embedded engine, against s3proxy and dynalite: a photo of an enrolled person is matched
 * and its record keeps the face that was searched; an upload without a face ends as a final REJECTED record.
 */
@QuarkusTest
@TestProfile(EmbeddedS3UploadsTest.Profile.class)
class EmbeddedS3UploadsTest {

    /** The real servers of {@link AwsServersProfile}, with the embedded engine and a gallery file of its own. */
    public static class Profile extends AwsServersProfile {
        static final String GALLERY = "target/test-gallery/embedded-s3-" + ProcessHandle.current().pid() + ".json";

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("crop-search.backend", "embedded");
            config.put("crop-search.embedded.gallery-file", GALLERY);
            return config;
        }
    }

    @Test
    void anUploadedPhotoFindsTheEnrolledPersonAndAFacelessOneIsRejected() throws Exception {
        Files.deleteIfExists(Path.of(Profile.GALLERY));
        String amy = RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "amy", "images", List.of(Base64.getEncoder().encodeToString(photo("crops/amy1.png")))))
                .post("/v2/face-recognition/persons").then().statusCode(200).extract().path("data._id");

        byte[] probe = photo("crops/amy2.png");
        String key = "embedded/amy2.png";
        String eTag = Uploads.put(key, probe, Map.of("min-score", "0.7"));
        LambdaEvents.assertDelivered(S3Events.event().created(AwsServersProfile.BUCKET, key, probe.length, eTag, null).json());
        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + AwsServersProfile.BUCKET + "/" + key, "V#" + eTag);
        assertNotNull(item);
        assertEquals("MATCHED", item.get("status").s());
        assertEquals(amy, item.get("topMatch").m().get("personId").s());
        Map<String, AttributeValue> face = item.get("faces").l().get(0).m();
        assertTrue(Double.parseDouble(face.get("detectionScore").n()) >= 0.5, face.toString());
        assertTrue(Integer.parseInt(face.get("box").m().get("right").n()) <= 120, face.toString());

        byte[] wall = photo("noface/bbt2-200-240-250.png");
        String wallKey = "embedded/wall.png";
        String wallTag = Uploads.put(wallKey, wall, Map.of("min-score", "0.5"));
        LambdaEvents.assertDelivered(S3Events.event().created(AwsServersProfile.BUCKET, wallKey, wall.length, wallTag, null)
                .json());
        Map<String, AttributeValue> rejected = ResultsTable.get("OBJ#" + AwsServersProfile.BUCKET + "/" + wallKey,
                "V#" + wallTag);
        assertNotNull(rejected);
        assertEquals("REJECTED", rejected.get("status").s());
        assertEquals("NoFaceDetected", rejected.get("error").m().get("code").s());
        assertFalse(rejected.get("error").m().get("transient").bool(), "a faceless image is final, not retried");
        assertFalse(rejected.containsKey("topMatch"));
    }

    private static byte[] photo(String path) throws Exception {
        return Files.readAllBytes(RealPhotos.DIR.resolve(path));
    }
}
