package io.cropsearch.testing;

import io.cropsearch.records.ItemShape;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.List;
import java.util.Map;

/** Reads the results table through the DynamoDB API, the way a user of the records would. */
public final class ResultsTable {

    private ResultsTable() {
    }

    public static Map<String, AttributeValue> get(String pk, String sk) {
        try (DynamoDbClient client = DynaliteServer.client()) {
            Map<String, AttributeValue> item = client.getItem(b -> b.tableName(AwsServersProfile.TABLE).consistentRead(true)
                    .key(Map.of(ItemShape.PK, AttributeValue.fromS(pk), ItemShape.SK, AttributeValue.fromS(sk)))).item();
            return item == null || item.isEmpty() ? null : item;
        }
    }

    /** Every item of an S3 object, all versions. */
    public static List<Map<String, AttributeValue>> object(String bucket, String key) {
        return query(null, ItemShape.PK, "OBJ#" + bucket + "/" + key);
    }

    public static List<Map<String, AttributeValue>> byCollection(String collectionId) {
        return query(ItemShape.GSI1, ItemShape.GSI1_PK, "COL#" + collectionId);
    }

    public static List<Map<String, AttributeValue>> byPerson(String personId) {
        return query(ItemShape.GSI2, ItemShape.GSI2_PK, "PERSON#" + personId);
    }

    private static List<Map<String, AttributeValue>> query(String index, String attribute, String value) {
        try (DynamoDbClient client = DynaliteServer.client()) {
            QueryResponse response = client.query(b -> {
                b.tableName(AwsServersProfile.TABLE)
                        .keyConditionExpression("#k = :v")
                        .expressionAttributeNames(Map.of("#k", attribute))
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value)));
                if (index != null) {
                    b.indexName(index);
                }
            });
            return response.items();
        }
    }
}
