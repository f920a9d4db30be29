package io.cropsearch.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.cropsearch.records.ObjectVersion;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One record of an S3 event notification, with the object key URL-decoded: S3 sends keys form-encoded ({@code +} for
 * a space, {@code %XX} for UTF-8 bytes of anything else), and a record keyed by the encoded form would name no object.
 */
public record S3EventRecord(String eventSource, String eventName, ObjectVersion object) {

    public boolean isS3() {
        return "aws:s3".equals(eventSource);
    }

    public boolean isObjectCreated() {
        return eventName != null && eventName.startsWith("ObjectCreated:");
    }

    /** Parses the {@code Records} array of an event; entries that are not objects become records with no object. */
    public static List<S3EventRecord> parse(JsonNode records) {
        List<S3EventRecord> parsed = new ArrayList<>();
        for (JsonNode record : records) {
            JsonNode s3 = record.path("s3");
            JsonNode object = s3.path("object");
            ObjectVersion version = null;
            String bucket = textOrNull(s3.path("bucket").path("name"));
            String rawKey = textOrNull(object.path("key"));
            if (bucket != null && rawKey != null) {
                Long size = object.path("size").isNumber() ? object.path("size").longValue() : null;
                version = new ObjectVersion(bucket, decodeKey(rawKey), textOrNull(object.path("versionId")),
                        textOrNull(object.path("eTag")), size);
            }
            parsed.add(new S3EventRecord(textOrNull(record.path("eventSource")), textOrNull(record.path("eventName")),
                    version));
        }
        return parsed;
    }

    static String decodeKey(String rawKey) {
        try {
            return URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // Not valid form encoding, so S3 cannot have encoded it: the key is taken as it is.
            return rawKey;
        }
    }

    private static String textOrNull(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
