package io.cropsearch.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import io.cropsearch.observability.InvocationIds;
import io.cropsearch.records.RecordCounters;
import io.cropsearch.records.sink.SinkUnavailableException;
import io.cropsearch.s3.S3EventRecord;
import io.cropsearch.s3.S3RecordOutcome;
import io.cropsearch.s3.S3UploadProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The S3 way in: every record of an event is handled, one bad record never stopping the others; afterwards, if any
 * record needs another delivery, the invocation fails ({@link S3DeliveryFailedException}) so that Lambda retries the
 * event and, after its retries, hands it to the on-failure destination. Records already done are then recognised as
 * duplicates. Not a {@code RequestHandler}: {@link LambdaEventDispatch} routes S3 events here.
 */
@ApplicationScoped
public class S3EventHandler {
    private static final Logger LOG = Logger.getLogger(S3EventHandler.class);

    private final S3UploadProcessor processor;
    private final RecordCounters counters;

    public S3EventHandler(S3UploadProcessor processor, RecordCounters counters) {
        this.processor = processor;
        this.counters = counters;
    }

    /** @return counts per outcome, for the invocation's (ignored) response and the logs */
    public Map<String, Integer> handle(JsonNode records, Context context) {
        InvocationIds.begin(context == null ? null : context.getAwsRequestId(), null);
        try {
            return handleAll(records, context);
        } finally {
            InvocationIds.end();
        }
    }

    private Map<String, Integer> handleAll(JsonNode records, Context context) {
        List<S3RecordOutcome> outcomes = new ArrayList<>();
        boolean sinkDown = false;
        for (S3EventRecord record : S3EventRecord.parse(records)) {
            if (sinkDown && record.object() != null) {
                // The record store is out for the whole event: each further record would only spend the SDK's
                // retries (seconds each) against the invocation's timeout before needing the same retry.
                counters.retryRequested();
                outcomes.add(new S3RecordOutcome(record.object(), S3RecordOutcome.Kind.RETRY, null,
                        SinkUnavailableException.class.getSimpleName()));
                continue;
            }
            S3RecordOutcome outcome = handleOne(record, context);
            sinkDown = SinkUnavailableException.class.getSimpleName().equals(outcome.code());
            outcomes.add(outcome);
        }
        Map<String, Integer> summary = new LinkedHashMap<>();
        for (S3RecordOutcome outcome : outcomes) {
            String name = outcome.kind() == S3RecordOutcome.Kind.RECORDED ? outcome.status().name().toLowerCase()
                    : outcome.kind().name().toLowerCase();
            summary.merge(name, 1, Integer::sum);
        }
        List<String> retryCodes = outcomes.stream().filter(o -> o.kind() == S3RecordOutcome.Kind.RETRY)
                .map(S3RecordOutcome::code).toList();
        if (!retryCodes.isEmpty()) {
            LOG.warnf("S3 event of %d records: %s; failing the invocation so that Lambda retries it", outcomes.size(),
                    summary);
            String message = retryCodes.size() + " of " + outcomes.size() + " S3 records need another delivery: "
                    + String.join(", ", retryCodes);
            // The one cause the caller can fix by hand (dev mode without S3): say how, not only the code.
            if (retryCodes.contains(S3UploadProcessor.S3_NOT_CONFIGURED)) {
                message += " (" + S3UploadProcessor.S3_NOT_CONFIGURED_HINT + ")";
            }
            throw new S3DeliveryFailedException(message);
        }
        LOG.infof("S3 event of %d records: %s", outcomes.size(), summary);
        return summary;
    }

    private S3RecordOutcome handleOne(S3EventRecord record, Context context) {
        if (!record.isS3() || record.object() == null) {
            // Not ours to judge, and not to be dropped silently either: the on-failure destination gets it.
            LOG.errorf("event record from %s is not an S3 object notification", record.eventSource());
            counters.retryRequested();
            return new S3RecordOutcome(record.object(), S3RecordOutcome.Kind.RETRY, null, "UnsupportedRecord");
        }
        if (!record.isObjectCreated()) {
            LOG.infof("ignoring %s for s3://%s/%s", record.eventName(), record.object().bucket(), record.object().key());
            return new S3RecordOutcome(record.object(), S3RecordOutcome.Kind.IGNORED, null, null);
        }
        try {
            S3RecordOutcome outcome = processor.process(record.object(), remainingMillis(context));
            if (outcome.kind() == S3RecordOutcome.Kind.RETRY) {
                counters.retryRequested();
            }
            return outcome;
        } catch (RuntimeException e) {
            // The sink down, or a bug: the record is not done, so it must come again. Class name only: messages of
            // unexpected failures may carry request data.
            LOG.errorf("s3://%s/%s not handled: %s", record.object().bucket(), record.object().key(),
                    e.getClass().getName());
            counters.retryRequested();
            return new S3RecordOutcome(record.object(), S3RecordOutcome.Kind.RETRY, null, e.getClass().getSimpleName());
        }
    }

    private static long remainingMillis(Context context) {
        try {
            return context == null ? -1 : context.getRemainingTimeInMillis();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The invocation's failure: the message lists error codes only. */
    public static class S3DeliveryFailedException extends RuntimeException {
        public S3DeliveryFailedException(String message) {
            super(message, null, false, false);
        }
    }
}
