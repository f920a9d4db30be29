package io.cropsearch.http;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.cropsearch.testing.Requests;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The examples of the reference document, end to end through the Lambda mock event server. */
@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
class ContractExamplesTest {
    static final String DOC_RESPONSE = UpstreamStub.DOC_RESPONSE;

    @BeforeEach
    void reset() {
        UpstreamStub.server().resetAll();
    }

    @Test
    void successPassesTheUpstreamBodyThroughWithUnknownFieldsKept() {
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(DOC_RESPONSE)));

        Requests.post(Requests.validBody())
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", equalTo("SC01"))
                .body("data[0].id", equalTo("person_id"))
                .body("data[0].name", equalTo("John Doe"))
                .body("data[0].score", equalTo(0.91f))
                .body("data[0].thumbnails[0].id", equalTo("thumb_id"))
                .body("signature.message", equalTo("Certified by Verifik.co"))
                .body("extra.kept", equalTo(true));
        assertEquals(1, UpstreamStub.searchCalls());
    }

    @Test
    void forwardsTheCallersTokenAndOnlyTheValidatedFields() {
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                .willReturn(aResponse().withStatus(200).withBody(DOC_RESPONSE)));
        var body = Requests.validBody();
        String image = (String) ((java.util.List<?>) body.get("images")).get(0);
        body.put("images", java.util.List.of("data:image/jpeg;base64," + image));
        body.put("unknown_field", "dropped");

        Requests.post(body).statusCode(200);

        UpstreamStub.server().verify(1, postRequestedFor(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + Requests.TOKEN))
                .withRequestBody(equalToJson("""
                        {"images":["%s"],"collection_id":"col-123","max_results":10,"min_score":0.7,"search_mode":"FAST"}
                        """.formatted(image))));
    }

    @Test
    void missingAuthorizationIs401WithoutUpstreamCall() {
        RestAssured.given().contentType(ContentType.JSON).body(Requests.validBody())
                .post(Requests.PATH)
                .then().statusCode(401)
                .body("message", equalTo("Authentication required"))
                .body("code", equalTo("UNAUTHORIZED"));
        assertEquals(0, UpstreamStub.searchCalls());
    }

    @Test
    void aNonBearerAuthorizationIs401() {
        RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Basic dXNlcjpwdw==")
                .body(Requests.validBody())
                .post(Requests.PATH)
                .then().statusCode(401)
                .body("code", equalTo("UNAUTHORIZED"));
        assertEquals(0, UpstreamStub.searchCalls());
    }

    @Test
    void missingMinScoreIs409MissingParameter() {
        var body = Requests.validBody();
        body.remove("min_score");
        Requests.post(body).statusCode(409)
                .body("message", equalTo("\"min_score\" is required"))
                .body("code", equalTo("MissingParameter"));
        assertEquals(0, UpstreamStub.searchCalls());
    }

    @Test
    void upstreamTokenExpiredReachesTheCallerAs403() {
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                .willReturn(aResponse().withStatus(403).withBody("{\"message\":\"token_expired\",\"code\":\"FORBIDDEN\"}")));
        Requests.post(Requests.validBody()).statusCode(403)
                .body("message", equalTo("token_expired"))
                .body("code", equalTo("FORBIDDEN"));
        assertEquals(1, UpstreamStub.searchCalls());
    }

    @Test
    void upstream401And409PassThroughWithTheirBodies() {
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + Requests.TOKEN))
                .willReturn(aResponse().withStatus(401).withBody("{\"message\":\"Authentication required\",\"code\":\"UNAUTHORIZED\"}")));
        Requests.post(Requests.validBody()).statusCode(401).body("code", equalTo("UNAUTHORIZED"));

        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                .willReturn(aResponse().withStatus(409).withBody("{\"message\":\"\\\"collection_id\\\" not found\",\"code\":\"MissingParameter\"}")));
        Requests.post(Requests.validBody()).statusCode(409)
                .body("message", equalTo("\"collection_id\" not found"))
                .body("code", equalTo("MissingParameter"));
    }

    @Test
    void upstreamInternalErrorIs502InTheContractShape() {
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                .willReturn(aResponse().withStatus(500).withBody("{\"message\":\"internal_error\",\"code\":\"ERROR\"}")));
        Requests.post(Requests.validBody()).statusCode(502)
                .body("message", equalTo("upstream_error"))
                .body("code", equalTo("ERROR"));
        assertEquals(1, UpstreamStub.searchCalls());
    }
}
