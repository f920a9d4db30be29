package io.cropsearch.records.sink;

import io.cropsearch.model.SearchStatus;
import io.cropsearch.records.ItemShape;
import io.cropsearch.records.RecordKey;
import io.cropsearch.records.RecordQuery;
import io.cropsearch.records.RecordSummary;
import io.cropsearch.records.ResultRecord;
import io.cropsearch.records.StoredRecord;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Records in a DynamoDB table (env {@code RESULTS_TABLE}), through the SDK client the Quarkiverse extension builds from
 * {@code quarkus.dynamodb.*} and the standard AWS variables. The SDK already retries throttling and 5xx a few times;
 * what still fails is reported as {@link SinkUnavailableException} so that the invocation is retried. Reading back needs
 * {@code dynamodb:Query} on the {@code byCollection} index.
 */
public class DynamoDbResultSink implements ResultSink {
    /** A new item, or one that only holds a failure: the one condition that makes deliveries idempotent. */
    static final String WRITE_CONDITION = "attribute_not_exists(#pk) OR #status = :failed";

    private final DynamoDbClient client;
    private final String table;

    public DynamoDbResultSink(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    @Override
    public Optional<StoredRecord> find(RecordKey key) {
        try {
            GetItemResponse response = client.getItem(b -> b.tableName(table).key(ItemShape.keyItem(key))
                    .consistentRead(true)
                    .projectionExpression("#status, #deliveries")
                    .expressionAttributeNames(Map.of("#status", ItemShape.STATUS, "#deliveries", ItemShape.DELIVERIES)));
            if (!response.hasItem() || response.item().isEmpty()) {
                return Optional.empty();
            }
            return Optional.ofNullable(ItemShape.storedRecord(response.item()));
        } catch (SdkException e) {
            throw unavailable("read", e);
        }
    }

    @Override
    public WriteOutcome write(ResultRecord record) {
        Map<String, AttributeValue> item = ItemShape.toItem(record);
        try {
            client.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression(WRITE_CONDITION)
                    .expressionAttributeNames(Map.of("#pk", ItemShape.PK, "#status", ItemShape.STATUS))
                    .expressionAttributeValues(Map.of(":failed", AttributeValue.fromS(SearchStatus.FAILED.name()))));
            return WriteOutcome.WRITTEN;
        } catch (ConditionalCheckFailedException e) {
            return WriteOutcome.DUPLICATE;
        } catch (SdkException e) {
            throw unavailable("write", e);
        }
    }

    /**
     * One {@code Query} on the {@code byCollection} index, newest first, {@code Limit} = the query's limit: a read of
     * at most 50 items whatever the table holds (never a Scan). A record replaced after a failure is the same item, so
     * the index holds only the current one.
     */
    @Override
    public List<RecordSummary> latest(RecordQuery query) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", ItemShape.GSI1_PK));
        Map<String, AttributeValue> values = new HashMap<>(
                Map.of(":pk", AttributeValue.fromS(ItemShape.collectionPartition(query.collectionId()))));
        String condition = "#pk = :pk";
        if (query.since() != null) {
            condition += " AND #sk >= :since";
            names.put("#sk", ItemShape.GSI1_SK);
            values.put(":since", AttributeValue.fromS(ItemShape.createdSinceKey(query.since())));
        }
        String keyCondition = condition;
        try {
            QueryResponse response = client.query(b -> b.tableName(table).indexName(ItemShape.GSI1)
                    .keyConditionExpression(keyCondition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    .limit(query.limit()));
            return response.items().stream().map(ItemShape::summary).filter(Objects::nonNull).toList();
        } catch (SdkException e) {
            throw unavailable("query", e);
        }
    }

    private SinkUnavailableException unavailable(String operation, SdkException e) {
        // The SDK's messages name the table and endpoint, never item contents; the class says throttling vs. outage.
        return new SinkUnavailableException("DynamoDB " + operation + " failed: " + e.getClass().getSimpleName(), e);
    }
}
