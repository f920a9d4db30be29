package io.cropsearch.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cropsearch.testing.AwsServersProfile;
import io.cropsearch.testing.LambdaEvents;
import io.cropsearch.testing.ResultsTable;
import io.cropsearch.testing.S3Events;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.Uploads;
import io.cropsearch.testing.Upstream;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * S3 uploads of whole photos with the Verifik backend, end to end against s3proxy, dynalite and WireMock: an object
 * beyond the crop limits but within the photo limits is searched at the upstream's standard {@code /search} (not
 * refused, not sent to {@code /search/crops}) and its record says so ({@code endpoint: search}); a crop still goes to
 * {@code /search/crops}; an object beyond the photo limits is a final REJECTED record with no upstream call.
 */
@QuarkusTest
@TestProfile(AwsServersProfile.class)
class S3PhotoUploadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void stubs() {
        UpstreamStub.server().resetAll();
        Upstream.matches(UpstreamStub.server(), "crop-person", 0.91);
        Upstream.photoMatches(UpstreamStub.server(), "photo-person", 0.87);
    }

    private static Map<String, AttributeValue> upload(String key, byte[] bytes, Map<String, String> metadata) {
        String eTag = Uploads.put(key, bytes, metadata);
        LambdaEvents.assertDelivered(S3Events.event().created(AwsServersProfile.BUCKET, key, bytes.length, eTag, null)
                .json());
        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + AwsServersProfile.BUCKET + "/" + key, "V#" + eTag);
        assertNotNull(item, "record of " + key);
        return item;
    }

    @Test
    void aPhotoLargerThanACropIsSearchedAtTheStandardSearch() throws Exception {
        byte[] photo = TestImages.jpeg(1600, 900);
        Map<String, AttributeValue> item = upload("photos/party.jpg", photo, Map.of("min-score", "0.3"));
        assertEquals("MATCHED", item.get("status").s());
        assertEquals("search", item.get("endpoint").s());
        assertEquals("photo-person", item.get("topMatch").m().get("personId").s());
        assertEquals("0.3", item.get("params").m().get("min_score").n(), "0.3: allowed for photos (0.2-1)");
        List<LoggedRequest> calls = UpstreamStub.server().findAll(postRequestedFor(urlEqualTo(Upstream.PHOTO_PATH)));
        assertEquals(1, calls.size());
        assertEquals(0, UpstreamStub.searchCalls(), "not the crops endpoint");
        JsonNode sent = JSON.readTree(calls.get(0).getBodyAsString());
        assertEquals(Base64.getEncoder().encodeToString(photo), sent.path("images").path(0).asText());
        assertEquals(0.3, sent.path("min_score").asDouble());
        assertEquals("Bearer " + AwsServersProfile.TOKEN, calls.get(0).getHeader("Authorization"));
    }

    @Test
    void aCropStillGoesToTheCropsEndpoint() {
        Map<String, AttributeValue> item = upload("photos/crop.jpg", TestImages.jpeg(120, 120), Map.of());
        assertEquals("MATCHED", item.get("status").s());
        assertFalse(item.containsKey("endpoint"), "crop searches carry no endpoint attribute");
        assertEquals("crop-person", item.get("topMatch").m().get("personId").s());
        assertEquals(1, UpstreamStub.searchCalls());
        assertEquals(0, UpstreamStub.server().findAll(postRequestedFor(urlEqualTo(Upstream.PHOTO_PATH))).size());
    }

    @Test
    void aPhotoBeyondThePhotoLimitsIsAFinalRefusalWithoutAnUpstreamCall() {
        Map<String, AttributeValue> item = upload("photos/panorama.png", TestImages.png(4200, 30), Map.of());
        assertEquals("REJECTED", item.get("status").s());
        assertEquals("search", item.get("endpoint").s());
        Map<String, AttributeValue> error = item.get("error").m();
        assertEquals("InvalidParameter", error.get("code").s());
        assertEquals("\"images[0]\" is 4200x30 px; images must be at most 4096 px a side", error.get("message").s());
        assertFalse(error.get("transient").bool());
        assertEquals(0, UpstreamStub.server().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void aPhotoWithACropsOnlyMinScoreIsStillAcceptedButOneBelowThePhotoBoundIsNot() {
        Map<String, AttributeValue> refused = upload("photos/low.jpg", TestImages.jpeg(1600, 900),
                Map.of("min-score", "0.1"));
        assertEquals("REJECTED", refused.get("status").s());
        assertEquals("\"min_score\" must be greater than or equal to 0.2", refused.get("error").m().get("message").s());
        assertEquals(0, UpstreamStub.server().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void allFacesIsAFinalRefusalWithTheVerifikBackend() {
        Map<String, AttributeValue> item = upload("photos/group.jpg", TestImages.jpeg(1600, 900),
                Map.of("all-faces", "true"));
        assertEquals("REJECTED", item.get("status").s());
        assertEquals("\"all_faces\" needs the embedded backend: the Verifik backend searches one face per photo",
                item.get("error").m().get("message").s());
        assertFalse(item.get("error").m().get("transient").bool(), "final: no retry can change it");
        assertEquals(0, UpstreamStub.server().findAll(anyRequestedFor(anyUrl())).size());
    }
}
