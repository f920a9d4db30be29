package io.cropsearch.people;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged function's defaults (DEMO_UI unset): the demo page is not served, the API reference is (through the
 * Lambda HTTP handler, as on AWS).
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

    @Test
    void apiReferenceIsServed() {
        Response yaml = RestAssured.given().get("/q/openapi");
        assertEquals(200, yaml.statusCode());
        assertTrue(yaml.asString().contains("/v2/face-recognition/search/crops"));
        assertTrue(yaml.asString().contains("bearer"));
    }
}
