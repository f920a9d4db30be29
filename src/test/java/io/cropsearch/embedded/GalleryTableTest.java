package io.cropsearch.embedded;

import io.cropsearch.testing.DynaliteServer;
import io.cropsearch.testing.Requests;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With GALLERY_TABLE set, the persons API writes through to the table item by item, searches find what it enrolled,
 * and a fresh store on the same table (another Lambda environment, a restart) reads the very same descriptors.
 */
@QuarkusTest
@TestProfile(GalleryTableProfile.class)
class GalleryTableTest {
    @Inject
    Gallery gallery;

    @Test
    void enrolmentsGoToTheTableAndAnotherEnvironmentReadsThemBack() {
        String collection = given().body(Map.of("name", "staff")).post("/v2/face-recognition/collections")
                .then().statusCode(200).extract().path("data._id");
        String id = given().body(Map.of("name", "sample1-face1", "images", List.of(Crops.base64("sample1-face1")),
                        "collections", List.of(collection)))
                .post("/v2/face-recognition/persons").then().statusCode(200).extract().path("data._id");
        String other = given().body(Map.of("name", "sample2-face1", "images", List.of(Crops.base64("sample2-face1"))))
                .post("/v2/face-recognition/persons").then().statusCode(200).extract().path("data._id");

        try (DynamoDbClient client = DynaliteServer.client()) {
            Map<String, AttributeValue> item = client.getItem(b -> b.tableName(GalleryTableProfile.TABLE)
                    .key(Map.of("pk", AttributeValue.fromS("PERSON#" + id), "sk", AttributeValue.fromS("PROFILE")))).item();
            assertEquals("sample1-face1", item.get("name").s());
            assertEquals(1, item.get("fast").l().size());
            assertEquals(1, item.get("accurate").l().size());
            assertEquals("crop-search-gallery/2", item.get("format").s());

            Gallery elsewhere = new Gallery(new DynamoDbGalleryStore(client, GalleryTableProfile.TABLE),
                    Duration.ZERO);
            assertEquals(gallery.person(id), elsewhere.person(id));
            for (boolean accurate : new boolean[] {false, true}) {
                assertArrayEquals(gallery.descriptors(id, accurate).get(0), elsewhere.descriptors(id, accurate).get(0));
            }
            assertTrue(elsewhere.collection(collection).isPresent());

            Requests.post(Map.of("images", List.of(Crops.base64("sample1-face1-wide")), "min_score", 0.5,
                    "search_mode", "FAST")).statusCode(200).body("data[0].id", equalTo(id));

            given().delete("/v2/face-recognition/persons/" + other).then().statusCode(200);
            assertFalse(client.getItem(b -> b.tableName(GalleryTableProfile.TABLE).key(Map.of(
                    "pk", AttributeValue.fromS("PERSON#" + other), "sk", AttributeValue.fromS("PROFILE")))).hasItem());
            assertTrue(new Gallery(new DynamoDbGalleryStore(client, GalleryTableProfile.TABLE), Duration.ZERO)
                    .person(other).isEmpty());
        }
    }

    private static RequestSpecification given() {
        return RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN).contentType(ContentType.JSON);
    }
}
