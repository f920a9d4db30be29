package io.cropsearch.packaged;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.cropsearch.testing.AwsServersProfile;
import io.cropsearch.testing.LambdaEvents;
import io.cropsearch.testing.Requests;
import io.cropsearch.testing.ResultsTable;
import io.cropsearch.testing.S3Events;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.Upstream;
import io.cropsearch.testing.UpstreamStub;
import io.cropsearch.testing.Uploads;
import io.quarkus.test.common.DevServicesContext;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The packaged artifact (the JVM jar; the native executable under {@code -Dnative}) on the Verifik backend, started by
 * {@code @QuarkusIntegrationTest} as its own process behind the Lambda extension's mock event server, wired to the
 * same real servers as the in-JVM suite (WireMock upstream, s3proxy, dynalite). It catches what only packaging can
 * break: a resource, reflection registration or build-time initialisation that works in the test JVM only.
 */
@QuarkusIntegrationTest
@TestProfile(AwsServersProfile.class)
class PackagedVerifikIT {
    private final WireMockServer wireMock = UpstreamStub.server();
    /** Injected by {@code @QuarkusIntegrationTest}. */
    DevServicesContext devServices;

    @BeforeEach
    void resetUpstream() {
        EventServer.use(devServices);
        wireMock.resetAll();
    }

    /**
     * The Verifik backend never reads the face engine's weights. The Lambda extension's SnapStart preparation preloads
     * every application class at static init (the packaged artifact's generated class list, which the in-JVM tests do
     * not have) and by default also initialises each, which ran the engine's lazy weight holders on every start:
     * five nets, about 25 MB of heap, unused. {@code quarkus.snapstart.initialize-classes=false} in
     * application.properties stops it; this fails if Quarkus (or anything on this path) reads them again.
     */
    @Test
    void theVerifikBackendReadsNoNetWeights() {
        Upstream.matches(wireMock, "person-packaged", 0.93);
        Requests.post(Requests.validBody()).statusCode(200);
        assertEquals(List.of(), FunctionLog.netsRead(), "nets read by the Verifik backend");
    }

    @Test
    void aSearchGoesUpstreamAndComesBackInTheContractsShape() {
        Upstream.matches(wireMock, "person-packaged", 0.93);
        Requests.post(Requests.validBody()).statusCode(200)
                .body("data[0].id", equalTo("person-packaged")).body("data[0].score", equalTo(0.93f));
        wireMock.verify(1, postRequestedFor(urlEqualTo(UpstreamStub.SEARCH_PATH)));
    }

    @Test
    void aBadRequestIsAContractErrorAndNeverReachesTheUpstream() {
        Map<String, Object> body = Requests.validBody();
        body.put("min_score", 0.3);
        Requests.post(body).statusCode(409).body("code", equalTo("InvalidParameter"));
        wireMock.verify(0, postRequestedFor(urlEqualTo(UpstreamStub.SEARCH_PATH)));
    }

    @Test
    void anUploadIsSearchedAndRecordedInTheTable() {
        String key = "packaged/upload.png";
        byte[] image = TestImages.png(120, 120);
        String eTag = Uploads.put(key, image, Map.of("collection-id", "staff-packaged"));
        Upstream.matches(wireMock, "person-upload", 0.88);

        LambdaEvents.assertDelivered(S3Events.event().created(AwsServersProfile.BUCKET, key, image.length, eTag, null)
                .json());

        JsonPath sent = new JsonPath(wireMock.findAll(postRequestedFor(urlEqualTo(UpstreamStub.SEARCH_PATH)))
                .get(0).getBodyAsString());
        assertEquals(List.of(Base64.getEncoder().encodeToString(image)), sent.getList("images"));
        assertEquals("staff-packaged", sent.getString("collection_id"));
        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + AwsServersProfile.BUCKET + "/" + key, "V#" + eTag);
        assertNotNull(item, "the upload's result record");
        assertEquals("MATCHED", item.get("status").s());
        assertEquals("person-upload", item.get("matches").l().get(0).m().get("personId").s());
    }
}
