package io.cropsearch.embedded;

import io.cropsearch.photos.Photos;
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

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole photo uploaded to S3 and searched by the embedded engine, against s3proxy and dynalite: bbt1.jpg (1366 px
 * wide, beyond the crop limit of 1024) is searched by its largest face instead of being refused, finds the person
 * enrolled from that photo, and its record says which face was searched and at which endpoint's rules.
 */
@QuarkusTest
@TestProfile(EmbeddedS3UploadsTest.Profile.class)
class EmbeddedS3PhotoUploadsTest {

    @Test
    void anUploadedGroupPhotoIsSearchedByItsLargestFace() throws Exception {
        Files.deleteIfExists(Path.of(EmbeddedS3UploadsTest.Profile.GALLERY));
        String enrolled = RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "bbt1-largest", "images", List.of(Photos.base64("bbt1.jpg"))))
                .post("/v2/face-recognition/persons").then().statusCode(200).extract().path("data._id");

        byte[] photo = smaller(Photos.bytes("bbt1.jpg"));
        String key = "photos/bbt1.jpg";
        String eTag = Uploads.put(key, photo, Map.of("min-score", "0.8"));
        LambdaEvents.assertDelivered(S3Events.event().created(AwsServersProfile.BUCKET, key, photo.length, eTag, null)
                .json());
        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + AwsServersProfile.BUCKET + "/" + key, "V#" + eTag);
        assertNotNull(item);
        assertEquals("MATCHED", item.get("status").s(), item.toString());
        assertEquals("search", item.get("endpoint").s());
        assertEquals(enrolled, item.get("topMatch").m().get("personId").s());
        List<AttributeValue> faces = item.get("faces").l();
        assertEquals(1, faces.size(), "one face searched: the largest");
        Map<String, AttributeValue> face = faces.get(0).m();
        assertTrue(Double.parseDouble(face.get("detectionScore").n()) >= 0.5, face.toString());
        Map<String, AttributeValue> box = face.get("box").m();
        int left = Integer.parseInt(box.get("left").n());
        int right = Integer.parseInt(box.get("right").n());
        int top = Integer.parseInt(box.get("top").n());
        int bottom = Integer.parseInt(box.get("bottom").n());
        // The largest face of bbt1 is the man on the right (his face about x 990-1110, y 60-230 of 1366x768).
        assertTrue(left > 900 && right < 1200 && top > 20 && bottom < 300 && right - left > 60, box.toString());
    }

    @Test
    void allFacesSearchesEveryFaceIntoTheOneRecord() throws Exception {
        Files.deleteIfExists(Path.of(EmbeddedS3UploadsTest.Profile.GALLERY));
        String enrolled = RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "bbt3-largest", "images", List.of(Photos.base64("bbt3.jpg"))))
                .post("/v2/face-recognition/persons").then().statusCode(200).extract().path("data._id");
        int found = RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN)
                .contentType(ContentType.JSON).body(Map.of("image", Photos.base64("bbt3.jpg")))
                .post("/v2/face-recognition/detect").then().statusCode(200).extract().path("data.size()");
        assertTrue(found >= 2, "a group photo: " + found);

        byte[] photo = Photos.bytes("bbt3.jpg");
        String key = "photos/bbt3-all.jpg";
        String eTag = Uploads.put(key, photo, Map.of("all-faces", "true", "min-score", "0.9"));
        LambdaEvents.assertDelivered(S3Events.event().created(AwsServersProfile.BUCKET, key, photo.length, eTag, null)
                .json());
        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + AwsServersProfile.BUCKET + "/" + key, "V#" + eTag);
        assertNotNull(item);
        assertEquals("MATCHED", item.get("status").s(), item.toString());
        assertEquals("true", item.get("metadata").m().get("all-faces").s());
        List<AttributeValue> searches = item.get("faceSearches").l();
        assertEquals(found, searches.size(), "one search per face /detect finds");
        assertEquals(found, item.get("faces").l().size());
        int matchedFaces = 0;
        for (AttributeValue search : searches) {
            Map<String, AttributeValue> box = search.m().get("face").m().get("box").m();
            assertTrue(Integer.parseInt(box.get("left").n()) >= 0 && Integer.parseInt(box.get("right").n()) <= 594
                    && Integer.parseInt(box.get("bottom").n()) <= 383, box.toString());
            List<AttributeValue> matches = search.m().get("matches").l();
            if (!matches.isEmpty()) {
                matchedFaces++;
                assertEquals(enrolled, matches.get(0).m().get("personId").s());
                assertTrue(Double.parseDouble(matches.get(0).m().get("score").n()) >= 0.95);
            }
        }
        assertEquals(1, matchedFaces, "only the enrolled face matches at 0.9; the others are other people");
        assertEquals(enrolled, item.get("topMatch").m().get("personId").s());
        // The largest face comes first, and it is the one enrolment took.
        assertEquals(1, searches.get(0).m().get("matches").l().size());
    }

    @Test
    void anAllFacesValueThatIsNotABooleanIsAFinalRefusal() throws Exception {
        byte[] photo = Photos.bytes("happy.jpg");
        String key = "photos/happy-bad-flag.jpg";
        String eTag = Uploads.put(key, photo, Map.of("all-faces", "yes"));
        LambdaEvents.assertDelivered(S3Events.event().created(AwsServersProfile.BUCKET, key, photo.length, eTag, null)
                .json());
        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + AwsServersProfile.BUCKET + "/" + key, "V#" + eTag);
        assertEquals("REJECTED", item.get("status").s());
        assertEquals("\"all_faces\" must be a boolean", item.get("error").m().get("message").s());
    }

    /** bbt1 re-encoded at a lower JPEG quality, to fit the test profile's 200 kB object limit; same 1366x768 pixels. */
    private static byte[] smaller(byte[] jpeg) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.7f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] bytes = out.toByteArray();
        assertEquals(1366, image.getWidth());
        assertTrue(bytes.length < 200_000, "fits the test profile: " + bytes.length);
        return bytes;
    }
}
