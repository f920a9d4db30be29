package io.cropsearch.infra;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A CloudFormation/SAM template read with Jackson YAML. Short intrinsic tags ({@code !Ref X}, {@code !GetAtt A.B},
 * {@code !Sub ...}) become their long JSON forms ({@code {"Ref": "X"}}, {@code {"Fn::GetAtt": ["A", "B"]}},
 * {@code {"Fn::Sub": ...}}), so that assertions see what CloudFormation sees.
 */
final class CloudFormationTemplate {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    final Path file;
    final JsonNode root;

    private CloudFormationTemplate(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    static CloudFormationTemplate read(Path file) {
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            if (parser.nextToken() == null) {
                throw new IllegalArgumentException(file + " is empty");
            }
            return new CloudFormationTemplate(file, readValue(parser));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode resources() {
        return root.path("Resources");
    }

    JsonNode resource(String logicalId) {
        JsonNode resource = resources().get(logicalId);
        if (resource == null) {
            throw new AssertionError(file + " declares no resource " + logicalId);
        }
        return resource;
    }

    /** Logical ids of the resources of one type, in template order. */
    List<String> resourcesOfType(String type) {
        List<String> ids = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = resources().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (type.equals(entry.getValue().path("Type").asText())) {
                ids.add(entry.getKey());
            }
        }
        return ids;
    }

    /** The one resource of a type; a template with none or several fails the calling test. */
    String onlyResourceOfType(String type) {
        List<String> ids = resourcesOfType(type);
        if (ids.size() != 1) {
            throw new AssertionError(file + " must declare exactly one " + type + ", found " + ids);
        }
        return ids.get(0);
    }

    JsonNode properties(String logicalId) {
        return resource(logicalId).path("Properties");
    }

    JsonNode parameter(String name) {
        JsonNode parameter = root.path("Parameters").get(name);
        if (parameter == null) {
            throw new AssertionError(file + " declares no parameter " + name);
        }
        return parameter;
    }

    /** The target of {@code {"Ref": X}}, or null when the node is something else. */
    static String refTarget(JsonNode node) {
        return node != null && node.isObject() && node.size() == 1 && node.path("Ref").isTextual()
                ? node.get("Ref").textValue() : null;
    }

    /** The resource of {@code {"Fn::GetAtt": [X, attribute]}} when the attribute matches, else null. */
    static String getAttTarget(JsonNode node, String attribute) {
        if (node != null && node.isObject() && node.size() == 1 && node.path("Fn::GetAtt").isArray()) {
            JsonNode args = node.get("Fn::GetAtt");
            if (args.size() == 2 && attribute.equals(args.get(1).asText())) {
                return args.get(0).asText();
            }
        }
        return null;
    }

    /** The template text of {@code {"Fn::Sub": "..."}} (either form), or null. */
    static String subText(JsonNode node) {
        if (node == null || !node.isObject() || node.size() != 1 || !node.has("Fn::Sub")) {
            return null;
        }
        JsonNode sub = node.get("Fn::Sub");
        return sub.isTextual() ? sub.textValue() : sub.isArray() ? sub.path(0).asText(null) : null;
    }

    private static JsonNode readValue(YAMLParser parser) throws IOException {
        String tag = parser.getTypeId();
        JsonToken token = parser.currentToken();
        JsonNode value = switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    if (object.has(name)) {
                        throw new IllegalArgumentException("duplicate key " + name + " at " + parser.currentLocation());
                    }
                    object.set(name, readValue(parser));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(parser));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> NODES.numberNode(parser.getLongValue());
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IllegalArgumentException("unexpected " + token + " at " + parser.currentLocation());
        };
        return tag == null || tag.startsWith("tag:yaml.org,2002:") ? value : intrinsic(tag.replaceFirst("^!", ""), value);
    }

    private static JsonNode intrinsic(String tag, JsonNode value) {
        ObjectNode node = NODES.objectNode();
        switch (tag) {
            case "Ref", "Condition" -> node.set(tag, value);
            case "GetAtt" -> {
                if (value.isTextual()) {
                    String text = value.textValue();
                    int dot = text.indexOf('.');
                    if (dot <= 0) {
                        throw new IllegalArgumentException("!GetAtt needs Resource.Attribute, got " + text);
                    }
                    ArrayNode args = NODES.arrayNode();
                    args.add(text.substring(0, dot));
                    args.add(text.substring(dot + 1));
                    node.set("Fn::GetAtt", args);
                } else {
                    node.set("Fn::GetAtt", value);
                }
            }
            default -> node.set("Fn::" + tag, value);
        }
        return node;
    }
}
