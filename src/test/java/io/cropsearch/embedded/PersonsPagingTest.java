package io.cropsearch.embedded;

import io.cropsearch.testing.Requests;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.Matchers.equalTo;

/** The persons listing's page and limit: every value out of range is a 409 in the contract's shape, never a 500. */
@QuarkusTest
@TestProfile(EmbeddedProfile.class)
class PersonsPagingTest {

    @ParameterizedTest(name = "page={0} limit={1}")
    @CsvSource(delimiter = '|', value = {
            // the request: the offset (page - 1) * limit overflowed an int
            "2147483647|100|\"page\" must be less than or equal to 1000000",
            "1000001|1|\"page\" must be less than or equal to 1000000",
            "99999999999999999999|10|\"page\" must be less than or equal to 1000000",
            "0|10|\"page\" must be a positive integer",
            "-1|10|\"page\" must be a positive integer",
            "-2147483648|10|\"page\" must be a positive integer",
            "abc|10|\"page\" must be a positive integer",
            "1.5|10|\"page\" must be a positive integer",
            "1e3|10|\"page\" must be a positive integer",
            "0x10|10|\"page\" must be a positive integer",
            "1|101|\"limit\" must be less than or equal to 100",
            "1|2147483648|\"limit\" must be less than or equal to 100",
            "1|0|\"limit\" must be a positive integer",
            "1|-5|\"limit\" must be a positive integer",
            "1|ten|\"limit\" must be a positive integer"})
    void outOfRangeValuesAre409(String page, String limit, String message) {
        given().queryParam("page", page).queryParam("limit", limit).get("/v2/face-recognition/persons").then()
                .statusCode(409).body("code", equalTo("InvalidParameter")).body("message", equalTo(message));
    }

    @Test
    void theBoundsThemselvesAreServed() {
        given().queryParam("page", "1000000").queryParam("limit", "100").get("/v2/face-recognition/persons").then()
                .statusCode(200).body("data.size()", equalTo(0)).body("pagination.page", equalTo(1000000))
                .body("pagination.limit", equalTo(100));
        given().get("/v2/face-recognition/persons").then().statusCode(200)
                .body("pagination.page", equalTo(1)).body("pagination.limit", equalTo(10));
    }

    private static io.restassured.specification.RequestSpecification given() {
        return RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN);
    }
}
