package io.cropsearch.packaged;

import io.quarkus.test.common.DevServicesContext;
import io.restassured.RestAssured;

/**
 * Points REST Assured at the Lambda mock event server. Under {@code @QuarkusIntegrationTest} the Lambda extension's
 * dev service starts that server in the test JVM (on a free port: {@code quarkus.lambda.mock-event-server.test-port=0}
 * in application.properties) and hands its address to the launched artifact as its Runtime API; REST Assured is
 * not pointed at it as it is under {@code @QuarkusTest}, because the artifact itself listens on no HTTP port.
 */
final class EventServer {
    private EventServer() {
    }

    static void use(DevServicesContext context) {
        var properties = context.devServicesProperties();
        String port = properties.get("quarkus.lambda.mock-event-server.test-port");
        if (port == null) {
            String api = properties.get("quarkus-internal.aws-lambda.test-api");
            if (api == null) {
                throw new IllegalStateException("no Lambda mock event server among the dev services: " + properties.keySet());
            }
            port = api.substring(api.lastIndexOf(':') + 1).replaceAll("[^0-9].*$", "");
        }
        // Set before every test: the extension clears REST Assured's URL (base path included) after each one.
        RestAssured.baseURI = "http://localhost";
        RestAssured.port = Integer.parseInt(port);
        RestAssured.basePath = "";
    }
}
