package io.cropsearch.embedded;

import org.jboss.logging.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The embedded gallery in a DynamoDB table (env {@code GALLERY_TABLE}): one item per person and one per collection,
 * read whole by a paginated Scan at start and written one item per change, so a change costs the same at 10 persons
 * as at 100k. Lambda's /tmp is per execution environment, so on AWS only a table gives every environment the same
 * gallery. Item shape: docs/EMBEDDED-STORAGE.md.
 *
 * <p>Every change also moves a counter item on ({@code pk = GALLERY}, {@code sk = VERSION}, attribute
 * {@code version}), after the change itself is stored: another environment that reads a new version reloads the
 * gallery ({@link Gallery}), so an enrolment made through one environment reaches the others within the gallery's
 * refresh interval. A reader that sees version v therefore also sees every change made before v.
 */
public final class DynamoDbGalleryStore implements GalleryStore {
    private static final Logger LOG = Logger.getLogger(DynamoDbGalleryStore.class);
    public static final String PK = "pk";
    public static final String SK = "sk";
    static final String PROFILE = "PROFILE";
    static final String PERSON_PREFIX = "PERSON#";
    static final String COLLECTION_PREFIX = "COLLECTION#";
    static final String VERSION_PK = "GALLERY";
    static final String VERSION_SK = "VERSION";
    /** Bumped when the item shape changes incompatibly; items of another format are refused rather than misread. */
    static final String FORMAT = GalleryFormat.CURRENT;
    /** DynamoDB's item size limit; a person item is refused well before the service would refuse it. */
    static final int MAX_ITEM_BYTES = 400 * 1024;

    private final DynamoDbClient client;
    private final String table;
    private final Integer scanPageSize;
    private OptionalLong versionAfterLastChange = OptionalLong.empty();

    public DynamoDbGalleryStore(DynamoDbClient client, String table) {
        this(client, table, null);
    }

    /** {@code scanPageSize}: items per Scan page, null for DynamoDB's 1 MB pages; tests use a few to see paging. */
    DynamoDbGalleryStore(DynamoDbClient client, String table, Integer scanPageSize) {
        this.client = client;
        this.table = table;
        this.scanPageSize = scanPageSize;
    }

    @Override
    public String describe() {
        return "DynamoDB table " + table;
    }

    @Override
    public Contents load() {
        List<FaceCollection> collections = new ArrayList<>();
        List<EnrolledPerson> persons = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        try {
            do {
                Map<String, AttributeValue> from = startKey;
                // Consistent: a start right after a change (a new environment, a test) must see it.
                ScanResponse page = client.scan(b -> b.tableName(table).consistentRead(true)
                        .exclusiveStartKey(from).limit(scanPageSize));
                for (Map<String, AttributeValue> item : page.items()) {
                    String pk = item.get(PK).s();
                    if (pk.startsWith(PERSON_PREFIX)) {
                        persons.add(person(item));
                    } else if (pk.startsWith(COLLECTION_PREFIX)) {
                        collections.add(collection(item));
                    }
                }
                startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (startKey != null);
        } catch (SdkException e) {
            throw unavailable("read", e);
        }
        // A Scan returns items in hash order; enrolment order is what listings and tie-breaks follow everywhere else.
        persons.sort(Comparator.comparing((EnrolledPerson p) -> p.person().createdAt()).thenComparing(p -> p.person().id()));
        collections.sort(Comparator.comparing(FaceCollection::createdAt).thenComparing(FaceCollection::id));
        return new Contents(collections, persons);
    }

    @Override
    public void putCollection(FaceCollection collection) {
        put(collectionItem(collection));
    }

    @Override
    public void putPerson(EnrolledPerson person) {
        Map<String, AttributeValue> item = personItem(person);
        int size = itemBytes(item);
        if (size > MAX_ITEM_BYTES) {
            throw new IllegalStateException("person " + person.person().id() + " is " + size
                    + " bytes as a DynamoDB item, above the 400 KB limit");
        }
        put(item);
    }

    @Override
    public void deletePerson(String personId) {
        try {
            client.deleteItem(b -> b.tableName(table).key(key(PERSON_PREFIX + personId)));
        } catch (SdkException e) {
            throw unavailable("delete", e);
        }
        bumpVersion();
    }

    private void put(Map<String, AttributeValue> item) {
        try {
            client.putItem(b -> b.tableName(table).item(item));
        } catch (SdkException e) {
            throw unavailable("write", e);
        }
        bumpVersion();
    }

    @Override
    public OptionalLong version() {
        try {
            GetItemResponse response = client.getItem(b -> b.tableName(table).key(versionKey()).consistentRead(true));
            AttributeValue version = response.hasItem() ? response.item().get("version") : null;
            return OptionalLong.of(version == null ? 0 : Long.parseLong(version.n()));
        } catch (SdkException e) {
            throw unavailable("read", e);
        }
    }

    @Override
    public OptionalLong versionAfterLastChange() {
        return versionAfterLastChange;
    }

    /**
     * Called once a change is stored. If the counter cannot be moved the change still stands (it is in the table and
     * acknowledged); other environments then see it at their next reload or start, which the warning says.
     */
    private void bumpVersion() {
        try {
            UpdateItemResponse response = client.updateItem(b -> b.tableName(table).key(versionKey())
                    .updateExpression("ADD #v :one")
                    .expressionAttributeNames(Map.of("#v", "version"))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
                    .returnValues(ReturnValue.UPDATED_NEW));
            versionAfterLastChange = OptionalLong.of(Long.parseLong(response.attributes().get("version").n()));
        } catch (SdkException e) {
            versionAfterLastChange = OptionalLong.empty();
            LOG.warnf("gallery version not moved on (%s): other environments see this change after their next reload",
                    e.getClass().getSimpleName());
        }
    }

    private static Map<String, AttributeValue> versionKey() {
        return Map.of(PK, AttributeValue.fromS(VERSION_PK), SK, AttributeValue.fromS(VERSION_SK));
    }

    private static IllegalStateException unavailable(String operation, SdkException e) {
        // The SDK's messages name the table and endpoint, never item contents.
        return new IllegalStateException("gallery table " + operation + " failed: " + e.getClass().getSimpleName(), e);
    }

    /** The gallery table's key schema, for tests and local set-ups (the SAM templates declare the same). */
    public static CreateTableRequest createTableRequest(String table) {
        return CreateTableRequest.builder().tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
                .build();
    }

    // ------------------------------------------------------------------------------------------------ item shape

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(PROFILE));
    }

    static Map<String, AttributeValue> collectionItem(FaceCollection c) {
        Map<String, AttributeValue> item = new HashMap<>(key(COLLECTION_PREFIX + c.id()));
        item.put("format", AttributeValue.fromS(FORMAT));
        item.put("id", AttributeValue.fromS(c.id()));
        item.put("code", AttributeValue.fromS(c.code()));
        item.put("name", AttributeValue.fromS(c.name()));
        putIfPresent(item, "description", c.description());
        item.put("createdAt", AttributeValue.fromS(c.createdAt().toString()));
        item.put("updatedAt", AttributeValue.fromS(c.updatedAt().toString()));
        return item;
    }

    static Map<String, AttributeValue> personItem(EnrolledPerson enrolled) {
        Person p = enrolled.person();
        Map<String, AttributeValue> item = new HashMap<>(key(PERSON_PREFIX + p.id()));
        item.put("format", AttributeValue.fromS(FORMAT));
        item.put("id", AttributeValue.fromS(p.id()));
        item.put("name", AttributeValue.fromS(p.name()));
        putIfPresent(item, "gender", p.gender());
        putIfPresent(item, "dateOfBirth", p.dateOfBirth());
        putIfPresent(item, "nationality", p.nationality());
        putIfPresent(item, "notes", p.notes());
        // A list, not a string set: a set cannot be empty and does not keep the order the API shows.
        item.put("collections", AttributeValue.fromL(p.collections().stream().map(AttributeValue::fromS).toList()));
        item.put("thumbnails", AttributeValue.fromL(p.thumbnails().stream().map(t -> AttributeValue.fromM(Map.of(
                "id", AttributeValue.fromS(t.id()),
                "jpeg", AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(t.thumbnail()))))))
                .toList()));
        item.put("fast", AttributeValue.fromL(enrolled.fast().stream().map(DynamoDbGalleryStore::bytes).toList()));
        item.put("accurate", AttributeValue.fromL(enrolled.accurate().stream().map(DynamoDbGalleryStore::bytes).toList()));
        item.put("createdAt", AttributeValue.fromS(p.createdAt().toString()));
        item.put("updatedAt", AttributeValue.fromS(p.updatedAt().toString()));
        return item;
    }

    FaceCollection collection(Map<String, AttributeValue> item) {
        if (!GalleryFormat.readableCollection(s(item, "format"))) {
            checkFormat(item);
        }
        // (a collection of format 1 is read as it is: it holds no descriptors)
        return new FaceCollection(s(item, "id"), s(item, "code"), s(item, "name"), s(item, "description"),
                Instant.parse(s(item, "createdAt")), Instant.parse(s(item, "updatedAt")));
    }

    EnrolledPerson person(Map<String, AttributeValue> item) {
        checkFormat(item);
        List<String> collections = item.get("collections").l().stream().map(AttributeValue::s).toList();
        List<Thumbnail> thumbnails = item.get("thumbnails").l().stream().map(t -> new Thumbnail(t.m().get("id").s(),
                Base64.getEncoder().encodeToString(t.m().get("jpeg").b().asByteArray()))).toList();
        Person person = new Person(s(item, "id"), s(item, "name"), s(item, "gender"), s(item, "dateOfBirth"),
                s(item, "nationality"), collections, s(item, "notes"), thumbnails,
                Instant.parse(s(item, "createdAt")), Instant.parse(s(item, "updatedAt")));
        return new EnrolledPerson(person, floatsList(item.get("fast")), floatsList(item.get("accurate")));
    }

    private void checkFormat(Map<String, AttributeValue> item) {
        String format = s(item, "format");
        if (!FORMAT.equals(format)) {
            throw GalleryFormat.refusal(describe(), format, "item " + item.get(PK).s() + " (and perhaps others)");
        }
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    /** Little-endian float32, the same bytes the gallery file holds in base64. */
    static AttributeValue bytes(float[] descriptor) {
        ByteBuffer buffer = ByteBuffer.allocate(descriptor.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : descriptor) {
            buffer.putFloat(v);
        }
        return AttributeValue.fromB(SdkBytes.fromByteArray(buffer.array()));
    }

    private static List<float[]> floatsList(AttributeValue list) {
        List<float[]> out = new ArrayList<>();
        for (AttributeValue value : list.l()) {
            ByteBuffer buffer = value.b().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] descriptor = new float[buffer.remaining() / 4];
            for (int i = 0; i < descriptor.length; i++) {
                descriptor[i] = buffer.getFloat();
            }
            out.add(descriptor);
        }
        return out;
    }

    /**
     * The item's size as DynamoDB counts it (UTF-8 names plus values, a few bytes of overhead per list or map
     * element), rounded up so that the check errs on the safe side.
     */
    static int itemBytes(Map<String, AttributeValue> item) {
        int total = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            total += utf8(e.getKey()) + valueBytes(e.getValue());
        }
        return total;
    }

    private static int valueBytes(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.b() != null) {
            return v.b().asByteArrayUnsafe().length;
        }
        if (v.hasL()) {
            int sum = 3;
            for (AttributeValue e : v.l()) {
                sum += 1 + valueBytes(e);
            }
            return sum;
        }
        if (v.hasM()) {
            int sum = 3;
            for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) {
                sum += 1 + utf8(e.getKey()) + valueBytes(e.getValue());
            }
            return sum;
        }
        return 32;
    }

    private static int utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
