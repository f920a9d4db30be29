package io.cropsearch.people;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged function's defaults (DEMO_UI unset): the demo page and the operations that exist only with it (the
 * records endpoint) are not served, the API reference is (through the Lambda HTTP handler, as on AWS).
 */
@QuarkusTest
class DemoPageOffTest {

    @Test
    void demoPageAnswers404WhenOff() {
        for (String path : new String[] {"/", "/index.html", "/demo/app.js", "/demo/app.css"}) {
            Response response = RestAssured.given().get(path);
            assertEquals(404, response.statusCode(), path);
            assertEquals("NotFound", response.jsonPath().getString("code"), path);
            assertFalse(response.asString().contains("<html"), path);
        }
    }

    /**
     * Exactly the operations the API reference marks {@code x-demo-ui: true} answer the page's 404 while it is off,
     * with or without a token (they do not exist then); every other documented operation is served (whatever it
     * answers to an empty request, it is not the route-level 404).
     */
    @Test
    void demoOnlyOperationsAnswerThePages404AndNoOtherDoes() throws IOException {
        JsonNode document;
        try (InputStream in = DemoPageOffTest.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            document = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        int demoOnly = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            String url = path.getKey().replaceAll("\\{[^}]+}", "no-such-id");
            for (String method : List.of("get", "post", "put", "delete", "patch")) {
                JsonNode operation = path.getValue().get(method);
                if (operation == null) {
                    continue;
                }
                boolean marked = operation.path("x-demo-ui").asBoolean(false);
                demoOnly += marked ? 1 : 0;
                for (boolean withToken : new boolean[] {true, false}) {
                    RequestSpecification request = RestAssured.given();
                    if (withToken) {
                        request = request.header("Authorization", "Bearer demo-off");
                    }
                    Response response = request.request(method.toUpperCase(), url);
                    boolean pages404 = response.statusCode() == 404
                            && "NotFound".equals(response.jsonPath().getString("code"))
                            && "Not found".equals(response.jsonPath().getString("message"));
                    String what = method.toUpperCase() + " " + url + (withToken ? "" : " (no token)") + ": "
                            + response.statusCode() + " " + response.asString();
                    assertEquals(marked, pages404, what);
                }
            }
        }
        assertTrue(demoOnly > 0, "the records endpoint is marked x-demo-ui");
        Response records = RestAssured.given().header("Authorization", "Bearer demo-off")
                .queryParam("limit", "999").get("/v2/crop-search/records");
        assertEquals(404, records.statusCode(), "not even validated while off: " + records.asString());
    }

    @Test
    void apiReferenceIsServed() {
        Response yaml = RestAssured.given().get("/q/openapi");
        assertEquals(200, yaml.statusCode());
        assertTrue(yaml.asString().contains("/v2/face-recognition/search/crops"));
        assertTrue(yaml.asString().contains("bearer"));
    }
}
