package io.cropsearch.records.sink;

import io.cropsearch.config.CropSearchConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Path;

/**
 * Picks the one {@link ResultSink}, once: DynamoDB when {@code RESULTS_TABLE} is set, else the JSON-lines file. The
 * DynamoDB client is only asked for in the first case, so the embedded default starts without AWS credentials,
 * region or network.
 */
@ApplicationScoped
public class ResultSinks {
    private static final Logger LOG = Logger.getLogger(ResultSinks.class);

    @Produces
    @ApplicationScoped
    ResultSink sink(CropSearchConfig config, Instance<DynamoDbClient> dynamoDb) {
        CropSearchConfig.Records records = config.records();
        if (records.table().isPresent()) {
            LOG.infof("result records: DynamoDB table %s", records.table().get());
            return new DynamoDbResultSink(dynamoDb.get(), records.table().get());
        }
        Path file = records.file().map(Path::of).orElseGet(ResultSinks::defaultFile);
        LOG.infof("result records: JSON lines in %s", file.toAbsolutePath());
        return new JsonLinesResultSink(file);
    }

    /** Lambda's task root is read-only; /tmp is the one writable place there. */
    static Path defaultFile() {
        if (System.getenv("LAMBDA_TASK_ROOT") != null) {
            return Path.of("/tmp/crop-search/results.jsonl");
        }
        return Path.of("results", "results.jsonl");
    }
}
