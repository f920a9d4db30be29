package io.cropsearch.embedded;

import org.jboss.logging.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
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
        checkSize(person.person(), item);
        put(item);
    }

    private static void checkSize(Person person, Map<String, AttributeValue> item) {
        int size = itemBytes(item);
        if (size > MAX_ITEM_BYTES) {
            throw new IllegalStateException("person " + person.id() + " is " + size
                    + " bytes as a DynamoDB item, above the 400 KB limit");
        }
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

    /** Deletes the person item, then frees their claim on their name and date of birth. */
    @Override
    public void deletePerson(Person person) {
        deletePerson(person.id());
        try {
            release(claimsKey(person.name(), person.dateOfBirth()), person.id());
        } catch (RuntimeException e) {
            // The deletion stands. A claim whose person item is gone is dropped by the next enrolment it would block,
            // once it is older than PENDING.
            LOG.warnf("claim of deleted person %s not released (%s): an enrolment of the same person may wait up to %d s",
                    person.id(), e.getClass().getSimpleName(), PENDING.toSeconds());
        }
    }

    // -------------------------------------------------------------------------------------- enrolment claims

    /**
     * Enrolment across environments: the duplicate rule ({@link Gallery#clashes}) checked and the new person claimed
     * in one conditional write, then the person item written. Each name (case-folded) and date of birth has one claims
     * item ({@code pk = CLAIMS#<sha-256>}, {@code sk = CLAIMS}) listing the persons enrolled under it with the
     * collections they were enrolled into and when. An enrolment reads it, decides, and writes it back on condition
     * that its revision did not move (an optimistic compare-and-set: DynamoDB transactions would do too, but dynalite,
     * the tests' DynamoDB, has none). The loser of a race re-reads and sees the winner.
     *
     * <p>The person items stay the truth: a claim that clashes is checked against its person item. A person found
     * there is the 412's existing person (with the collections they are in now: a detachment since then shrinks the
     * claim rather than blocking). No person item: either the claimer is between its two writes (a claim younger than
     * {@link #PENDING}: wait for it), or it failed or the person was deleted since (older: dropped). So deletions and
     * detachments need not keep claims in step for correctness; a deletion frees its claim anyway so that the same
     * person can be enrolled again at once.
     */
    @Override
    public void enrolPerson(EnrolledPerson enrolled) {
        Person person = enrolled.person();
        Map<String, AttributeValue> item = personItem(enrolled);
        checkSize(person, item);
        Map<String, AttributeValue> claimsKey = claimsKey(person.name(), person.dateOfBirth());
        Instant claimedAt = claim(claimsKey, person);
        try {
            if (Duration.between(claimedAt, Instant.now()).compareTo(PENDING.dividedBy(2)) > 0) {
                // Others drop a claim without a person item once it is PENDING old: too late to rely on it.
                throw new IllegalStateException("gallery table too slow: enrolment claim expired before the write");
            }
            put(item);
        } catch (RuntimeException e) {
            try {
                release(claimsKey, person.id());
            } catch (RuntimeException releaseFailed) {
                e.addSuppressed(releaseFailed); // the claim then expires by itself (PENDING)
            }
            throw e;
        }
    }

    /** How long a claim without its person item counts as an enrolment in progress rather than a failed one. */
    static final Duration PENDING = Duration.ofSeconds(10);
    private static final Duration WAIT_STEP = Duration.ofMillis(50);
    static final String CLAIMS_PREFIX = "CLAIMS#";
    static final String CLAIMS_SK = "CLAIMS";
    /** Claims do not depend on the face pipeline: their format moves on only with their own shape, not with FORMAT's. */
    static final String CLAIMS_FORMAT = "crop-search-claims/1";

    /** One enrolled (or being enrolled) person in a claims item. */
    record Claim(String personId, List<String> collections, Instant claimedAt) {
    }

    private record Claims(long revision, List<Claim> claims) {
    }

    private Instant claim(Map<String, AttributeValue> claimsKey, Person person) {
        // A claim stamped by a clock running ahead would look in progress for longer; never wait beyond this.
        long giveUp = System.nanoTime() + PENDING.multipliedBy(2).toNanos();
        while (true) {
            Claims current = readClaims(claimsKey);
            List<Claim> kept = new ArrayList<>();
            boolean inProgress = false;
            Instant now = Instant.now();
            for (Claim c : current.claims()) {
                if (!Gallery.clashes(c.collections(), person.collections())) {
                    kept.add(c);
                    continue;
                }
                EnrolledPerson holder = storedPerson(c.personId());
                if (holder != null) {
                    if (Gallery.clashes(holder.person().collections(), person.collections())) {
                        throw new Enrolment.AlreadyEnrolled(holder.person());
                    }
                    kept.add(new Claim(c.personId(), holder.person().collections(), c.claimedAt()));
                } else if (c.claimedAt().isAfter(now.minus(PENDING))) {
                    inProgress = true;
                    kept.add(c);
                }
                // else: claimed long ago and no person item: a failed enrolment or a deleted person, dropped
            }
            if (inProgress) {
                if (System.nanoTime() - giveUp > 0) {
                    throw new IllegalStateException("another enrolment of the same person did not complete in time");
                }
                sleep(WAIT_STEP);
                continue;
            }
            kept.add(new Claim(person.id(), person.collections(), now));
            if (writeClaims(claimsKey, current.revision(), kept)) {
                return now;
            }
            // another enrolment or release of the same name and date of birth came first: decide again on what it wrote
        }
    }

    private void release(Map<String, AttributeValue> claimsKey, String personId) {
        for (int attempt = 0; attempt < 20; attempt++) {
            Claims current = readClaims(claimsKey);
            List<Claim> kept = current.claims().stream().filter(c -> !c.personId().equals(personId)).toList();
            if (kept.size() == current.claims().size() || writeClaims(claimsKey, current.revision(), kept)) {
                return;
            }
        }
        throw new IllegalStateException("gallery claims item kept changing under the release");
    }

    /** The claims item of a name and date of birth; the key is a hash, so any name length fits DynamoDB's key limit. */
    static Map<String, AttributeValue> claimsKey(String name, String dateOfBirth) {
        String identity = Gallery.foldCase(name) + "\u0000" + (dateOfBirth == null ? "" : dateOfBirth);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return Map.of(PK, AttributeValue.fromS(CLAIMS_PREFIX + HexFormat.of().formatHex(hash)),
                    SK, AttributeValue.fromS(CLAIMS_SK));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    private Claims readClaims(Map<String, AttributeValue> claimsKey) {
        try {
            GetItemResponse response = client.getItem(b -> b.tableName(table).key(claimsKey).consistentRead(true));
            if (!response.hasItem() || response.item().isEmpty()) {
                return new Claims(0, List.of());
            }
            Map<String, AttributeValue> item = response.item();
            if (!CLAIMS_FORMAT.equals(s(item, "format"))) {
                throw new IllegalStateException("gallery item " + item.get(PK).s() + " has format " + s(item, "format")
                        + ", this build reads " + CLAIMS_FORMAT);
            }
            List<Claim> claims = item.get("claims").l().stream().map(AttributeValue::m).map(m -> new Claim(
                    m.get("personId").s(), m.get("collections").l().stream().map(AttributeValue::s).toList(),
                    Instant.parse(m.get("claimedAt").s()))).toList();
            return new Claims(Long.parseLong(item.get("revision").n()), claims);
        } catch (SdkException e) {
            throw unavailable("read", e);
        }
    }

    /** Writes the claims if nobody changed them since {@code revision} was read; false when somebody did. */
    private boolean writeClaims(Map<String, AttributeValue> claimsKey, long revision, List<Claim> claims) {
        Map<String, AttributeValue> item = new HashMap<>(claimsKey);
        item.put("format", AttributeValue.fromS(CLAIMS_FORMAT));
        item.put("revision", AttributeValue.fromN(Long.toString(revision + 1)));
        item.put("claims", AttributeValue.fromL(claims.stream().map(c -> AttributeValue.fromM(Map.of(
                "personId", AttributeValue.fromS(c.personId()),
                "collections", AttributeValue.fromL(c.collections().stream().map(AttributeValue::fromS).toList()),
                "claimedAt", AttributeValue.fromS(c.claimedAt().toString())))).toList()));
        try {
            if (revision == 0) {
                client.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", PK)));
            } else {
                client.putItem(b -> b.tableName(table).item(item).conditionExpression("#rev = :rev")
                        .expressionAttributeNames(Map.of("#rev", "revision"))
                        .expressionAttributeValues(Map.of(":rev", AttributeValue.fromN(Long.toString(revision)))));
            }
            return true;
        } catch (ConditionalCheckFailedException lostTheRace) {
            return false;
        } catch (SdkException e) {
            throw unavailable("write", e);
        }
    }

    /** The person item as stored now (consistent read), or null. */
    private EnrolledPerson storedPerson(String personId) {
        try {
            GetItemResponse response = client.getItem(b -> b.tableName(table).key(key(PERSON_PREFIX + personId))
                    .consistentRead(true));
            return response.hasItem() && !response.item().isEmpty() ? person(response.item()) : null;
        } catch (SdkException e) {
            throw unavailable("read", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while another enrolment of the same person was in progress", e);
        }
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
