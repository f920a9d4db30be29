package io.cropsearch.people;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cropsearch.config.CropSearchConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Holds the hand-kept OpenAPI document (META-INF/openapi.yaml) to the running function, by behaviour: for every
 * operation and every request property or query parameter whose schema states minimum, maximum, enum, minItems,
 * maxItems, minLength or maxLength, the operation's documented {@code runnable} example is sent with that property
 * just outside the bound (the function must answer 409 MissingParameter/InvalidParameter naming the property) and at
 * the bound (no validation error naming it). The image side limits the document states ({@code x-limits}) are sent
 * as real images one pixel outside and at the bound, and every {@code x-limits} figure is compared with the
 * validator's configuration ({@link CropSearchConfig.Limits}).
 *
 * <p>An operation the function does not serve (a route-level 404/405) fails the test. The profile has the demo page on,
 * so the operations marked {@code x-demo-ui: true} (served only with the page) are served and checked here too;
 * {@code DemoPageOffTest} holds them to the page's 404 when it is off.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class OpenApiDriftTest {
    private static final Logger LOG = Logger.getLogger(OpenApiDriftTest.class);

    private static final Set<String> VALIDATION_CODES = Set.of("MissingParameter", "InvalidParameter");
    private static final List<String> METHODS = List.of("get", "post", "put", "delete", "patch");

    private static JsonNode document;

    @Inject
    CropSearchConfig config;

    @BeforeAll
    static void readDocument() throws IOException {
        try (InputStream in = OpenApiDriftTest.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            document = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    @Test
    void servedDocumentIsTheStaticContract() {
        Response served = RestAssured.given().accept("application/json").get("/q/openapi?format=json");
        assertEquals(200, served.statusCode(), "/q/openapi through the Lambda HTTP handler");
        JsonNode paths = document.get("paths");
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            assertTrue(served.jsonPath().getMap("paths").containsKey(path), "served document lacks " + path);
        }
        assertEquals(paths.size(), served.jsonPath().getMap("paths").size(),
                "served paths = the static document's (annotation scanning is off)");
    }

    @Test
    void boundsHoldAgainstTheRunningFunction() {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        JsonNode paths = document.get("paths");
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation == null) {
                    continue;
                }
                String opId = operation.path("operationId").asText();
                if (operation.path("x-demo-ui").asBoolean(false)) {
                    assertTrue(config.demoUi().enabled(), opId + " is served only with the demo page, which this "
                            + "profile must have on for the operation to be checked");
                }
                Operation op = new Operation(opId, method, path.getKey(), operation);
                Response plain = op.send(op.example(), Map.of());
                if (routeMissing(plain)) {
                    failures.add(opId + ": documented but the function answers " + plain.statusCode());
                    continue;
                }
                if (validationError(plain) != null) {
                    failures.add(opId + ": the documented example itself is refused: " + plain.asString());
                }
                checked += op.checkBodyProperties(failures) + op.checkQueryParameters(failures)
                        + op.checkImageSides(failures);
            }
        }
        LOG.infof("OpenAPI drift: %d bound checks", checked);
        assertTrue(checked > 40, "the document states bounds and the test found them: " + checked);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void configuredLimitsAreTheDocumentedOnes() {
        CropSearchConfig.Limits limits = config.limits();
        Map<String, IntSupplier> known = new LinkedHashMap<>();
        known.put("Image/max-image-bytes", limits::maxImageBytes);
        known.put("Image/max-url-length", limits::maxUrlLength);
        known.put("CropImage/min-side-px", limits::minSidePx);
        known.put("CropImage/max-side-px", limits::maxSidePx);
        known.put("Base64Crop/min-side-px", limits::minSidePx);
        known.put("Base64Crop/max-side-px", limits::maxSidePx);
        known.put("Base64Crop/max-image-bytes", limits::maxImageBytes);
        known.put("PhotoImage/min-side-px", limits::minSidePx);
        known.put("PhotoImage/max-side-px", limits::photoMaxSidePx);
        known.put("PhotoImage/max-image-bytes", limits::photoMaxImageBytes);
        known.put("Base64Photo/min-side-px", limits::minSidePx);
        known.put("Base64Photo/max-side-px", limits::photoMaxSidePx);
        known.put("Base64Photo/max-image-bytes", limits::photoMaxImageBytes);
        known.put("CropSearchRequest/x-max-body-bytes", limits::maxBodyBytes);
        known.put("SearchRequest/x-max-body-bytes", limits::maxBodyBytes);
        int compared = 0;
        for (Iterator<Map.Entry<String, JsonNode>> s = document.at("/components/schemas").fields(); s.hasNext(); ) {
            Map.Entry<String, JsonNode> schema = s.next();
            Map<String, JsonNode> stated = new LinkedHashMap<>();
            schema.getValue().path("x-limits").fields().forEachRemaining(e -> stated.put(e.getKey(), e.getValue()));
            if (schema.getValue().has("x-max-body-bytes")) {
                stated.put("x-max-body-bytes", schema.getValue().get("x-max-body-bytes"));
            }
            for (Map.Entry<String, JsonNode> limit : stated.entrySet()) {
                String key = schema.getKey() + "/" + limit.getKey();
                IntSupplier configured = known.get(key);
                assertNotNull(configured, "no configuration known for " + key);
                assertEquals(configured.getAsInt(), limit.getValue().asInt(), key + " against the configuration");
                compared++;
            }
        }
        assertEquals(known.size(), compared, "every configured limit is stated in the document");
    }

    // ---- one documented operation ----

    private final class Operation {
        final String id;
        final String method;
        final String path;
        final JsonNode operation;
        final JsonNode bodySchema;

        Operation(String id, String method, String path, JsonNode operation) {
            this.id = id;
            this.method = method;
            this.path = path;
            this.operation = operation;
            JsonNode content = operation.at("/requestBody/content/application~1json");
            this.bodySchema = content.isMissingNode() ? null : resolve(content.get("schema"));
        }

        ObjectNode example() {
            if (bodySchema == null) {
                return null;
            }
            JsonNode example = operation.at("/requestBody/content/application~1json/examples/runnable/value");
            assertTrue(example.isObject(), id + " documents a runnable example");
            return (ObjectNode) example.deepCopy();
        }

        Response send(ObjectNode body, Map<String, Object> query) {
            RequestSpecification request = RestAssured.given().header("Authorization", "Bearer drift-test")
                    .queryParams(query);
            if (body != null) {
                request = request.contentType("application/json").body(body.toString());
            }
            // Path parameters: an id that names nothing; the route must still answer (404 person_not_found etc.).
            String url = path.replaceAll("\\{[^}]+}", "no-such-id");
            return request.request(method.toUpperCase(), url);
        }

        int checkBodyProperties(List<String> failures) {
            if (bodySchema == null) {
                return 0;
            }
            int checks = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = bodySchema.path("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                String name = property.getKey();
                JsonNode schema = resolve(property.getValue());
                JsonNode exampleValue = example().get(name);
                for (Case c : cases(schema, exampleValue)) {
                    ObjectNode body = example();
                    body.set(name, c.value);
                    checks++;
                    judge(failures, name, c, send(body, Map.of()));
                }
            }
            return checks;
        }

        int checkQueryParameters(List<String> failures) {
            int checks = 0;
            for (JsonNode parameter : operation.path("parameters")) {
                if (!"query".equals(parameter.path("in").asText())) {
                    continue;
                }
                String name = parameter.get("name").asText();
                for (Case c : cases(resolve(parameter.get("schema")), parameter.get("example"))) {
                    checks++;
                    judge(failures, name, c, send(example(), Map.of(name, c.value.asText())));
                }
            }
            return checks;
        }

        /** Real images one pixel outside and at the documented side limits of the items of an image array. */
        int checkImageSides(List<String> failures) {
            if (bodySchema == null) {
                return 0;
            }
            int checks = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = bodySchema.path("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                JsonNode schema = resolve(property.getValue());
                JsonNode items = schema.has("items") ? resolve(schema.get("items")) : null;
                if (items == null || !items.has("x-limits")) {
                    continue;
                }
                String field = property.getKey() + "[0]";
                JsonNode sides = items.get("x-limits");
                if (sides.has("min-side-px")) {
                    int min = sides.get("min-side-px").asInt();
                    checks += 2;
                    judgeImage(failures, property.getKey(), field, new Case("min-side-px - 1", null, true), min - 1);
                    judgeImage(failures, property.getKey(), field, new Case("min-side-px", null, false), min);
                }
                if (sides.has("max-side-px")) {
                    int max = sides.get("max-side-px").asInt();
                    checks += 2;
                    judgeImage(failures, property.getKey(), field, new Case("max-side-px + 1", null, true), max + 1);
                    judgeImage(failures, property.getKey(), field, new Case("max-side-px", null, false), max);
                }
            }
            return checks;
        }

        private void judgeImage(List<String> failures, String property, String field, Case c, int side) {
            ObjectNode body = example();
            ArrayNode images = body.putArray(property);
            images.add(pngBase64(side));
            judge(failures, field, c, send(body, Map.of()));
        }

        private void judge(List<String> failures, String field, Case c, Response response) {
            String error = validationError(response);
            boolean names = error != null && error.contains("\"" + field + "\"");
            String where = id + " " + field + " " + c.label + (c.value == null ? "" : " (" + c.value + ")");
            if (response.statusCode() >= 500) {
                failures.add(where + ": HTTP " + response.statusCode() + " " + response.asString());
            } else if (c.outside && !names) {
                failures.add(where + ": expected 409 naming \"" + field + "\", got " + response.statusCode() + " "
                        + abbreviate(response.asString()));
            } else if (!c.outside && names) {
                failures.add(where + ": at the documented bound, refused: " + abbreviate(response.asString()));
            }
        }
    }

    private record Case(String label, JsonNode value, boolean outside) {
    }

    /** The values just outside and at each bound the schema states. */
    private static List<Case> cases(JsonNode schema, JsonNode exampleValue) {
        ObjectMapper json = new ObjectMapper();
        List<Case> cases = new ArrayList<>();
        boolean integer = "integer".equals(schema.path("type").asText());
        if (schema.has("minimum")) {
            double min = schema.get("minimum").asDouble();
            cases.add(new Case("minimum - ε", integer ? json.getNodeFactory().numberNode((long) min - 1)
                    : json.getNodeFactory().numberNode(Math.nextDown(min)), true));
            cases.add(new Case("minimum", integer ? json.getNodeFactory().numberNode((long) min)
                    : json.getNodeFactory().numberNode(min), false));
        }
        if (schema.has("maximum")) {
            double max = schema.get("maximum").asDouble();
            cases.add(new Case("maximum + ε", integer ? json.getNodeFactory().numberNode((long) max + 1)
                    : json.getNodeFactory().numberNode(Math.nextUp(max)), true));
            cases.add(new Case("maximum", integer ? json.getNodeFactory().numberNode((long) max)
                    : json.getNodeFactory().numberNode(max), false));
        }
        if (schema.has("enum")) {
            cases.add(new Case("not in enum", json.getNodeFactory().textNode("NOT_IN_ENUM"), true));
            for (JsonNode value : schema.get("enum")) {
                cases.add(new Case("enum value", value, false));
            }
        }
        if (schema.has("minLength")) {
            int min = schema.get("minLength").asInt();
            cases.add(new Case("minLength - 1", json.getNodeFactory().textNode("a".repeat(min - 1)), true));
            cases.add(new Case("minLength", json.getNodeFactory().textNode("a".repeat(min)), false));
        }
        if (schema.has("maxLength")) {
            int max = schema.get("maxLength").asInt();
            cases.add(new Case("maxLength + 1", json.getNodeFactory().textNode("a".repeat(max + 1)), true));
            cases.add(new Case("maxLength", json.getNodeFactory().textNode("a".repeat(max)), false));
        }
        if (schema.has("minItems") || schema.has("maxItems")) {
            assertTrue(exampleValue != null && exampleValue.isArray() && !exampleValue.isEmpty(),
                    "an array with item bounds needs an example item");
            JsonNode item = exampleValue.get(0);
            if (schema.has("minItems")) {
                int min = schema.get("minItems").asInt();
                cases.add(new Case("minItems - 1", repeat(json, item, min - 1), true));
                cases.add(new Case("minItems", repeat(json, item, min), false));
            }
            if (schema.has("maxItems")) {
                int max = schema.get("maxItems").asInt();
                cases.add(new Case("maxItems + 1", repeat(json, item, max + 1), true));
                cases.add(new Case("maxItems", repeat(json, item, max), false));
            }
        }
        return cases;
    }

    private static ArrayNode repeat(ObjectMapper json, JsonNode item, int times) {
        ArrayNode array = json.createArrayNode();
        for (int i = 0; i < times; i++) {
            array.add(item.deepCopy());
        }
        return array;
    }

    /** A local {@code $ref} followed (one level of {@code allOf} merged), else the schema itself. */
    private static JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        while (current.has("$ref")) {
            String ref = current.get("$ref").asText();
            assertTrue(ref.startsWith("#/"), "only local references: " + ref);
            current = document.at(ref.substring(1));
            assertFalse(current.isMissingNode(), "unresolved " + ref);
        }
        if (current.has("allOf")) {
            ObjectNode merged = new ObjectMapper().createObjectNode();
            for (JsonNode part : current.get("allOf")) {
                merged.setAll((ObjectNode) resolve(part));
            }
            current.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("allOf")) {
                    merged.set(e.getKey(), e.getValue());
                }
            });
            return merged;
        }
        return current;
    }

    /** A route the function does not have: the resource layer's own 404/405, not an answer such as person_not_found. */
    private static boolean routeMissing(Response response) {
        return response.statusCode() == 405
                || response.statusCode() == 404 && "Not found".equals(response.jsonPath().getString("message"));
    }

    /** The message of a validation error (409 MissingParameter/InvalidParameter), else null. */
    private static String validationError(Response response) {
        if (response.statusCode() != 409) {
            return null;
        }
        String code = response.jsonPath().getString("code");
        return VALIDATION_CODES.contains(code) ? response.jsonPath().getString("message") : null;
    }

    /** A grey PNG {@code side} px wide and 16 px high (the narrow side stays valid, the other is under test). */
    private static String pngBase64(int side) {
        BufferedImage image = new BufferedImage(side, side <= 16 ? side : 16, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
