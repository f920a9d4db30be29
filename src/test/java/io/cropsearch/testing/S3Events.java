package io.cropsearch.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * S3 event notifications as S3 sends them to Lambda (event version 2.1), keys form-encoded the way S3 encodes them.
 */
public final class S3Events {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArrayNode records = JSON.createArrayNode();

    public static S3Events event() {
        return new S3Events();
    }

    /** An ObjectCreated:Put record; {@code key} is given decoded and encoded here. */
    public S3Events created(String bucket, String key, long size, String eTag, String versionId) {
        return record("ObjectCreated:Put", bucket, encode(key), size, eTag, versionId);
    }

    /** A record with the key exactly as given (already encoded). */
    public S3Events record(String eventName, String bucket, String encodedKey, Long size, String eTag, String versionId) {
        ObjectNode record = records.addObject();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", "us-east-1");
        record.put("eventTime", "2026-11-25T20:00:00.000Z");
        record.put("eventName", eventName);
        record.putObject("userIdentity").put("principalId", "AWS:EXAMPLE");
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        record.putObject("responseElements").put("x-amz-request-id", "EXAMPLE123456789");
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "crop-search-uploads");
        ObjectNode b = s3.putObject("bucket");
        b.put("name", bucket);
        b.putObject("ownerIdentity").put("principalId", "EXAMPLE");
        b.put("arn", "arn:aws:s3:::" + bucket);
        ObjectNode o = s3.putObject("object");
        o.put("key", encodedKey);
        if (size != null) {
            o.put("size", size);
        }
        if (eTag != null) {
            o.put("eTag", eTag);
        }
        if (versionId != null) {
            o.put("versionId", versionId);
        }
        o.put("sequencer", "0A1B2C3D4E5F678901");
        return this;
    }

    /** A record from another event source, for the dispatch's sake. */
    public S3Events foreign(String eventSource) {
        ObjectNode record = records.addObject();
        record.put("eventSource", eventSource);
        record.put("eventName", "something");
        return this;
    }

    public String json() {
        ObjectNode event = JSON.createObjectNode();
        event.set("Records", records);
        return event.toString();
    }

    /** How S3 encodes keys in notifications: form encoding, a space as {@code +}. */
    public static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8);
    }
}
