package io.cropsearch.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.model.SearchStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * One CloudWatch Embedded Metric Format line per search. It goes to its own log category whose handler prints the raw
 * line (see application.properties and {@link RawLineFormat}): CloudWatch only extracts metrics from log events that
 * are the EMF JSON itself, not EMF wrapped inside a JSON log record.
 */
@ApplicationScoped
public class SearchMetrics {
    public static final String CATEGORY = "crop-search.metrics";
    public static final String NAMESPACE = "CropSearch";
    /** The metric counting records written to the log instead of the table. */
    public static final String SPILLED_METRIC = "SpilledRecords";
    /** The field of a spilled record's line that holds the record ({@code {"Item": ...}}). */
    public static final String SPILLED_FIELD = "spilledRecord";
    private static final Logger EMF = Logger.getLogger(CATEGORY);

    private final ObjectMapper json;

    public SearchMetrics(ObjectMapper json) {
        this.json = json;
        RawLineFormat.apply(CATEGORY);
    }

    /** The {@code Endpoint} of crop searches, the function's first endpoint. */
    public static final String SEARCH_CROPS = "search-crops";

    /** @param source {@code api} or {@code s3} */
    public void searched(String source, SearchStatus status, long latencyMillis, int matchCount, int upstreamAttempts) {
        searched(SEARCH_CROPS, source, status, latencyMillis, matchCount, upstreamAttempts);
    }

    /**
     * @param endpoint which endpoint answered ({@code search-crops}, {@code verify}, {@code compare}, ...): a dimension
     *                 set of its own, {@code Endpoint} x {@code Source} x {@code Status}, added beside the original
     *                 {@code Source} x {@code Status} so that existing dashboards and alarms keep their series
     */
    public void searched(String endpoint, String source, SearchStatus status, long latencyMillis, int matchCount,
                         int upstreamAttempts) {
        ObjectNode line = json.createObjectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", System.currentTimeMillis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensions = directive.putArray("Dimensions");
        dimensions.addArray().add("Source").add("Status");
        dimensions.addArray().add("Endpoint").add("Source").add("Status");
        ArrayNode metrics = directive.putArray("Metrics");
        metrics.addObject().put("Name", "Latency").put("Unit", "Milliseconds");
        metrics.addObject().put("Name", "MatchCount").put("Unit", "Count");
        metrics.addObject().put("Name", "UpstreamAttempts").put("Unit", "Count");
        line.put("Endpoint", endpoint);
        line.put("Source", source);
        line.put("Status", status.name());
        line.put("Latency", latencyMillis);
        line.put("MatchCount", matchCount);
        line.put("UpstreamAttempts", upstreamAttempts);
        // Ids as plain properties: searchable in Logs Insights without becoming metric dimensions.
        line.put("requestId", InvocationIds.requestId());
        line.put("correlationId", InvocationIds.correlationId());
        EMF.info(line.toString());
    }

    /**
     * A result record that could not be written in time, as one raw log line that is both an EMF metric
     * ({@value #SPILLED_METRIC}, count 1 per record, by source) and the record itself under
     * {@value #SPILLED_FIELD}: {@code {"Item": {...}}}, one line of DynamoDB's export format, which
     * {@code tools/records/replay.sh} puts into the table. One line, so that nothing can separate the count from what it
     * counts, and on the raw handler so that the item is not re-escaped inside a JSON log record.
     *
     * @param exportLine the record as {@code {"Item": {...}}} (attribute values in DynamoDB JSON)
     */
    public void recordSpilled(String source, ObjectNode exportLine) {
        ObjectNode line = json.createObjectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", System.currentTimeMillis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add("Source");
        directive.putArray("Metrics").addObject().put("Name", SPILLED_METRIC).put("Unit", "Count");
        line.put("Source", source);
        line.put(SPILLED_METRIC, 1);
        line.put("requestId", InvocationIds.requestId());
        line.put("correlationId", InvocationIds.correlationId());
        line.set(SPILLED_FIELD, exportLine);
        EMF.info(line.toString());
    }
}
