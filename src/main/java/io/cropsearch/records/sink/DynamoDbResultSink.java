package io.cropsearch.records.sink;

import io.cropsearch.model.SearchStatus;
import io.cropsearch.records.ItemShape;
import io.cropsearch.records.RecordKey;
import io.cropsearch.records.ResultRecord;
import io.cropsearch.records.StoredRecord;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.util.Map;
import java.util.Optional;

/**
 * Records in a DynamoDB table (env {@code RESULTS_TABLE}), through the SDK client the Quarkiverse extension builds from
 * {@code quarkus.dynamodb.*} and the standard AWS variables. The SDK already retries throttling and 5xx a few times;
 * what still fails is reported as {@link SinkUnavailableException} so that the invocation is retried.
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

    private SinkUnavailableException unavailable(String operation, SdkException e) {
        // The SDK's messages name the table and endpoint, never item contents; the class says throttling vs. outage.
        return new SinkUnavailableException("DynamoDB " + operation + " failed: " + e.getClass().getSimpleName(), e);
    }
}
