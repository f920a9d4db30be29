package io.cropsearch.records;

import io.cropsearch.search.ProbeFace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.model.SearchStatus;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that knows how a {@link ResultRecord} looks as a DynamoDB item, in the SDK's {@link AttributeValue}
 * form and in DynamoDB's JSON export form ({@code {"Item": {"pk": {"S": ...}, ...}}}). The SAM template, the docs
 * (docs/RECORDS.md) and the test servers all use these names.
 *
 * <p>Keys: an S3 record is keyed by object version, so that a repeat delivery hits the same item and a conditional
 * write can refuse it; an API record by its request id. Two indexes serve the other questions users ask: records of a
 * collection over time ({@value #GSI1}), and records whose best match was a given person ({@value #GSI2}, sparse).
 */
public final class ItemShape {
    private static final String API_PK_PREFIX = "REQ#";

    /** Whether a key can be written more than once (an S3 object version can; an HTTP search's unique id cannot). */
    public static boolean isRewritable(RecordKey key) {
        return !key.pk().startsWith(API_PK_PREFIX);
    }

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI1 = "byCollection";
    public static final String GSI1_PK = "gsi1pk";
    public static final String GSI1_SK = "gsi1sk";
    public static final String GSI2 = "byPerson";
    public static final String GSI2_PK = "gsi2pk";
    public static final String GSI2_SK = "gsi2sk";
    public static final String TTL = "expiresAt";
    public static final String STATUS = "status";
    public static final String DELIVERIES = "deliveries";

    /** gsi1pk of records that name no collection (a search over every collection, or rejected before validation). */
    public static final String ALL_COLLECTIONS = "_all";

    /**
     * Upper bound of an item's size in DynamoDB's own accounting: a quarter of the 400 KB item limit. Matches are
     * dropped from the worst end until an item fits; in practice the per-field caps of {@link RecordFactory} keep
     * items far smaller.
     */
    public static final int MAX_ITEM_BYTES = 100 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ItemShape() {
    }

    public static RecordKey keyOf(ResultRecord record) {
        if (record.source() == Source.S3) {
            return objectKey(record.object());
        }
        return new RecordKey(API_PK_PREFIX + record.id(), "RESULT");
    }

    /** The key of an S3 object version: the version id when the bucket has versioning, else the eTag. */
    public static RecordKey objectKey(ObjectVersion object) {
        String version = object.versionId() != null && !object.versionId().isEmpty() ? object.versionId()
                : object.eTag() != null && !object.eTag().isEmpty() ? object.eTag() : "null";
        return new RecordKey("OBJ#" + object.bucket() + "/" + object.key(), "V#" + version);
    }

    /**
     * {@code createdAt} as stored: ISO-8601 UTC with exactly three fraction digits, so that string order (the
     * {@code gsi1sk} and {@code gsi2sk} sort keys) is time order; {@link Instant#toString()} drops a zero fraction.
     */
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** The {@value #GSI1} partition of a collection's records; null: the records of searches that named none. */
    public static String collectionPartition(String collectionId) {
        return "COL#" + (collectionId != null ? collectionId : ALL_COLLECTIONS);
    }

    /**
     * The least {@value #GSI1_SK} of a record created at or after {@code since}: its time rounded up to the stored
     * millisecond precision (a record of 10:00:00.000 is not "since 10:00:00.000500").
     */
    public static String createdSinceKey(Instant since) {
        Instant millis = since.truncatedTo(ChronoUnit.MILLIS);
        return timestamp(millis.equals(since) ? millis : millis.plusMillis(1));
    }

    /** The item, bounded to {@link #MAX_ITEM_BYTES}. */
    public static Map<String, AttributeValue> toItem(ResultRecord record) {
        Map<String, AttributeValue> item = unbounded(record);
        ResultRecord current = record;
        while (sizeOf(item) > MAX_ITEM_BYTES && current.hasMatches()) {
            // Halve rather than drop one by one: a pathological upstream answer must not cost thousands of rounds.
            // Each face's matches of an all-faces record are halved alike.
            current = current.halved();
            item = unbounded(current);
        }
        return item;
    }

    private static Map<String, AttributeValue> unbounded(ResultRecord r) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        RecordKey key = keyOf(r);
        String createdAt = timestamp(r.createdAt());
        item.put(PK, s(key.pk()));
        item.put(SK, s(key.sk()));
        item.put("recordId", s(r.id()));
        item.put("source", s(r.source().attributeValue()));
        putIfPresent(item, "endpoint", r.endpoint());
        item.put(STATUS, s(r.status().name()));
        item.put("createdAt", s(createdAt));
        item.put(TTL, n(r.expiresAtEpochSeconds()));
        item.put(GSI1_PK, s(collectionPartition(r.params() != null ? r.params().collectionId() : null)));
        item.put(GSI1_SK, s(createdAt + "#" + r.id()));
        Match top = r.topMatch();
        if (top != null) {
            item.put(GSI2_PK, s("PERSON#" + top.personId()));
            item.put(GSI2_SK, s(createdAt));
            item.put("topMatch", match(top));
        }
        if (r.object() != null) {
            ObjectVersion o = r.object();
            item.put("bucket", s(o.bucket()));
            item.put("key", s(o.key()));
            putIfPresent(item, "versionId", o.versionId());
            putIfPresent(item, "eTag", o.eTag());
            if (o.size() != null) {
                item.put("objectSize", n(o.size()));
            }
        }
        if (r.params() != null) {
            SearchParams p = r.params();
            Map<String, AttributeValue> params = new LinkedHashMap<>();
            putIfPresent(params, "collection_id", p.collectionId());
            if (p.maxResults() != null) {
                params.put("max_results", n(p.maxResults()));
            }
            params.put("min_score", n(p.minScore()));
            params.put("search_mode", s(p.searchMode()));
            params.put("image_count", n(p.imageCount()));
            item.put("params", AttributeValue.fromM(params));
        }
        if (!r.metadata().isEmpty()) {
            Map<String, AttributeValue> metadata = new LinkedHashMap<>();
            r.metadata().forEach((k, v) -> metadata.put(k, s(v)));
            item.put("metadata", AttributeValue.fromM(metadata));
        }
        if (r.status() == SearchStatus.MATCHED || r.status() == SearchStatus.NO_MATCH) {
            item.put("matches", AttributeValue.fromL(r.matches().stream().map(ItemShape::match).toList()));
            item.put("matchCount", n(r.matchCount()));
            item.put("matchesTruncated", AttributeValue.fromBool(r.matches().size() < r.matchCount()));
        }
        putIfPresent(item, "upstreamId", r.upstreamId());
        if (r.signatureMessage() != null || r.signatureDateTime() != null) {
            Map<String, AttributeValue> signature = new LinkedHashMap<>();
            putIfPresent(signature, "message", r.signatureMessage());
            putIfPresent(signature, "dateTime", r.signatureDateTime());
            item.put("signature", AttributeValue.fromM(signature));
        }
        if (r.searchMillis() != null) {
            item.put("searchMs", n(r.searchMillis()));
        }
        item.put("totalMs", n(r.totalMillis()));
        item.put("attempts", n(r.attempts()));
        if (r.source() == Source.S3) {
            item.put(DELIVERIES, n(r.deliveries()));
        }
        if (r.failure() != null) {
            Failure f = r.failure();
            item.put("error", AttributeValue.fromM(Map.of(
                    "code", s(f.code()), "message", s(f.message()), "status", n(f.status()),
                    "transient", AttributeValue.fromBool(f.transientFailure()))));
        }
        putIfPresent(item, "skipReason", r.skipReason());
        if (!r.faces().isEmpty()) {
            item.put("faces", AttributeValue.fromL(r.faces().stream().map(ItemShape::face).toList()));
        }
        if (!r.faceSearches().isEmpty()) {
            // An all-faces search: per face (largest first), the face and its own matches.
            item.put("faceSearches", AttributeValue.fromL(r.faceSearches().stream().map(f -> {
                Map<String, AttributeValue> one = new LinkedHashMap<>();
                one.put("face", face(f.face()));
                one.put("matches", AttributeValue.fromL(f.matches().stream().map(ItemShape::match).toList()));
                one.put("matchCount", n(f.matchCount()));
                one.put("matchesTruncated", AttributeValue.fromBool(f.matches().size() < f.matchCount()));
                return AttributeValue.fromM(one);
            }).toList()));
        }
        return item;
    }

    private static AttributeValue face(ProbeFace f) {
        Map<String, AttributeValue> box = new LinkedHashMap<>();
        box.put("left", n(f.left()));
        box.put("top", n(f.top()));
        box.put("right", n(f.right()));
        box.put("bottom", n(f.bottom()));
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        map.put("image", n(f.image()));
        map.put("detectionScore", n(Math.round(f.detectionScore() * 10_000) / 10_000.0));
        map.put("box", AttributeValue.fromM(box));
        return AttributeValue.fromM(map);
    }

    private static AttributeValue match(Match m) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        map.put("personId", s(m.personId()));
        putIfPresent(map, "name", m.name());
        map.put("score", n(m.score()));
        map.put("thumbnailIds", AttributeValue.fromL(m.thumbnailIds().stream().map(ItemShape::s).toList()));
        return AttributeValue.fromM(map);
    }

    /** The status stored in an item, or null when the item has none (not one of ours). */
    public static StoredRecord storedRecord(Map<String, AttributeValue> item) {
        AttributeValue status = item.get(STATUS);
        if (status == null || status.s() == null) {
            return null;
        }
        AttributeValue deliveries = item.get(DELIVERIES);
        int count = deliveries == null || deliveries.n() == null ? 1 : Integer.parseInt(deliveries.n());
        return new StoredRecord(SearchStatus.valueOf(status.s()), count);
    }

    /**
     * An item read back for people: what {@link RecordSummary} holds, from the attributes this class writes. Null for an
     * item that is not a record (no {@code recordId}, {@code status} or {@code createdAt}).
     */
    public static RecordSummary summary(Map<String, AttributeValue> item) {
        String recordId = string(item.get("recordId"));
        String status = string(item.get(STATUS));
        String createdAt = string(item.get("createdAt"));
        if (recordId == null || status == null || createdAt == null) {
            return null;
        }
        String source = string(item.get("source"));
        RecordSummary.Origin origin = Source.S3.attributeValue().equals(source)
                ? new RecordSummary.Origin(source, string(item.get("bucket")), string(item.get("key")))
                : new RecordSummary.Origin(source, null, null);
        AttributeValue params = item.get("params");
        String collection = params != null && params.hasM() ? string(params.m().get("collection_id")) : null;
        List<RecordSummary.MatchSummary> matches = new ArrayList<>();
        AttributeValue stored = item.get("matches");
        if (stored != null && stored.hasL()) {
            for (AttributeValue m : stored.l()) {
                RecordSummary.MatchSummary match = matchSummary(m);
                if (match != null) {
                    matches.add(match);
                }
            }
        }
        RecordSummary.ErrorSummary error = null;
        AttributeValue failure = item.get("error");
        if (failure != null && failure.hasM()) {
            error = new RecordSummary.ErrorSummary(string(failure.m().get("code")), string(failure.m().get("message")));
        }
        return new RecordSummary(recordId, createdAt, status, string(item.get("endpoint")), collection, origin, matches,
                matchSummary(item.get("topMatch")), error, string(item.get("skipReason")));
    }

    private static RecordSummary.MatchSummary matchSummary(AttributeValue value) {
        if (value == null || !value.hasM()) {
            return null;
        }
        Map<String, AttributeValue> m = value.m();
        AttributeValue score = m.get("score");
        return new RecordSummary.MatchSummary(string(m.get("personId")), string(m.get("name")),
                score != null && score.n() != null ? Double.parseDouble(score.n()) : 0);
    }

    private static String string(AttributeValue value) {
        return value == null ? null : value.s();
    }

    public static Map<String, AttributeValue> keyItem(RecordKey key) {
        return Map.of(PK, s(key.pk()), SK, s(key.sk()));
    }

    /** One line of DynamoDB's JSON export format, loadable with the usual import tools. */
    public static String toExportLine(Map<String, AttributeValue> item) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.set("Item", toJson(item));
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("item could not be written as JSON", e);
        }
    }

    /** Reads a line written by {@link #toExportLine}. */
    public static Map<String, AttributeValue> fromExportLine(String line) {
        try {
            JsonNode item = JSON.readTree(line).get("Item");
            if (item == null || !item.isObject()) {
                throw new IllegalArgumentException("not an export line: no \"Item\" object");
            }
            return fromJsonMap(item);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an export line: invalid JSON", e);
        }
    }

    /** The item as DynamoDB JSON: an object of attribute name to {@code {"S": ...}}, {@code {"N": ...}} and so on. */
    public static ObjectNode toJson(Map<String, AttributeValue> item) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        item.forEach((name, value) -> object.set(name, toJson(value)));
        return object;
    }

    private static ObjectNode toJson(AttributeValue v) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        switch (v.type()) {
            case S -> node.put("S", v.s());
            case N -> node.put("N", v.n());
            case BOOL -> node.put("BOOL", v.bool());
            case NUL -> node.put("NULL", true);
            case M -> node.set("M", toJson(v.m()));
            case L -> {
                ArrayNode list = node.putArray("L");
                v.l().forEach(e -> list.add(toJson(e)));
            }
            case SS -> {
                ArrayNode list = node.putArray("SS");
                v.ss().forEach(list::add);
            }
            case NS -> {
                ArrayNode list = node.putArray("NS");
                v.ns().forEach(list::add);
            }
            case B -> node.put("B", v.b().asByteArray());
            default -> throw new IllegalArgumentException("attribute type not used in records: " + v.type());
        }
        return node;
    }

    private static Map<String, AttributeValue> fromJsonMap(JsonNode object) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            map.put(field.getKey(), fromJson(field.getValue()));
        }
        return map;
    }

    private static AttributeValue fromJson(JsonNode node) {
        if (node.has("S")) {
            return s(node.get("S").textValue());
        }
        if (node.has("N")) {
            return AttributeValue.fromN(node.get("N").textValue());
        }
        if (node.has("BOOL")) {
            return AttributeValue.fromBool(node.get("BOOL").booleanValue());
        }
        if (node.has("NULL")) {
            return AttributeValue.fromNul(true);
        }
        if (node.has("M")) {
            return AttributeValue.fromM(fromJsonMap(node.get("M")));
        }
        if (node.has("L")) {
            List<AttributeValue> list = new ArrayList<>();
            node.get("L").forEach(e -> list.add(fromJson(e)));
            return AttributeValue.fromL(list);
        }
        if (node.has("SS")) {
            List<String> list = new ArrayList<>();
            node.get("SS").forEach(e -> list.add(e.textValue()));
            return AttributeValue.fromSs(list);
        }
        if (node.has("NS")) {
            List<String> list = new ArrayList<>();
            node.get("NS").forEach(e -> list.add(e.textValue()));
            return AttributeValue.fromNs(list);
        }
        if (node.has("B")) {
            try {
                return AttributeValue.fromB(SdkBytes.fromByteArray(node.get("B").binaryValue()));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("invalid binary attribute", e);
            }
        }
        throw new IllegalArgumentException("unknown attribute value type: " + node.fieldNames().next());
    }

    /**
     * An item's size as DynamoDB counts it (UTF-8 bytes of names and strings, about one byte per two digits of a number,
     * three bytes of overhead per map or list plus one per element), rounded up where DynamoDB's rules are vague.
     */
    public static int sizeOf(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8(e.getKey()) + sizeOf(e.getValue());
        }
        return size;
    }

    private static int sizeOf(AttributeValue v) {
        return switch (v.type()) {
            case S -> utf8(v.s());
            case N -> v.n().length() / 2 + 2;
            case BOOL, NUL -> 1;
            case M -> 3 + sizeOf(v.m()) + v.m().size();
            case L -> 3 + v.l().stream().mapToInt(e -> sizeOf(e) + 1).sum();
            case SS -> v.ss().stream().mapToInt(ItemShape::utf8).sum();
            case NS -> v.ns().stream().mapToInt(x -> x.length() / 2 + 2).sum();
            case B -> v.b().asByteArray().length;
            default -> 0;
        };
    }

    /** Table definition matching the item shape: on-demand, both indexes projecting all attributes. */
    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute(PK), attribute(SK), attribute(GSI1_PK), attribute(GSI1_SK),
                        attribute(GSI2_PK), attribute(GSI2_SK))
                .keySchema(hash(PK), range(SK))
                .globalSecondaryIndexes(
                        GlobalSecondaryIndex.builder().indexName(GSI1).keySchema(hash(GSI1_PK), range(GSI1_SK))
                                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build(),
                        GlobalSecondaryIndex.builder().indexName(GSI2).keySchema(hash(GSI2_PK), range(GSI2_SK))
                                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .build();
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    private static KeySchemaElement range(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }

    private static void putIfPresent(Map<String, AttributeValue> map, String name, String value) {
        if (value != null) {
            map.put(name, s(value));
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static AttributeValue n(double value) {
        // Plain digits: DynamoDB numbers are decimal strings; a finite double always has an exact plain form.
        return AttributeValue.fromN(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
    }

    private static int utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
