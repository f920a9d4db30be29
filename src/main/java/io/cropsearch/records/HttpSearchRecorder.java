package io.cropsearch.records;

import com.amazonaws.services.lambda.runtime.Context;
import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.errors.ApiException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.observability.InvocationIds;
import io.cropsearch.observability.SearchMetrics;
import io.cropsearch.records.sink.ResultSink;
import io.cropsearch.records.sink.SinkUnavailableException;
import io.cropsearch.search.SearchResult;
import io.cropsearch.validation.ValidatedSearch;
import io.cropsearch.validation.ValidatedVerify;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Records HTTP searches without ever failing the response, and without delaying it by more than
 * {@code crop-search.records.http-wait} (cut to the invocation's remaining time): a remote sink's write (DynamoDB) runs
 * on a small background pool and is waited for only that long, so that in the normal case it is done before Lambda
 * freezes the environment; a local file is appended on the caller's thread. A record not written by then (slow or
 * unavailable sink, full pool) is <em>spilled</em>: written whole to the log as one line that
 * {@code tools/records/replay.sh} puts into the table later, and counted by an EMF metric; see docs/RECORDS.md.
 */
@ApplicationScoped
public class HttpSearchRecorder {
    private static final Logger LOG = Logger.getLogger(HttpSearchRecorder.class);
    /** Left to send the response after waiting for the record, when the invocation's remaining time is known. */
    static final long RESPONSE_RESERVE_MILLIS = 100;

    private final ResultSink sink;
    private final RecordFactory factory;
    private final RecordCounters counters;
    private final SearchMetrics metrics;
    private final Instance<Context> lambdaContext;
    private final Duration wait;
    private final ThreadPoolExecutor writer;

    public HttpSearchRecorder(ResultSink sink, RecordFactory factory, RecordCounters counters, SearchMetrics metrics,
                              Instance<Context> lambdaContext, CropSearchConfig config) {
        this.sink = sink;
        this.factory = factory;
        this.counters = counters;
        this.metrics = metrics;
        this.lambdaContext = lambdaContext;
        this.wait = config.records().httpWait();
        // Bounded both ways: a sink that hangs cannot pile up threads or memory.
        this.writer = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), runnable -> {
            Thread thread = new Thread(runnable, "http-record-writer");
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    public void searched(ValidatedSearch search, SearchResult result, long startedNanos) {
        try {
            record(factory.searched(Source.API, requestId(), null, search, null, result, startedNanos, 1));
        } catch (RuntimeException e) {
            writeFailed(e);
        }
    }

    /** @param bearerToken the caller's token, cut out of any upstream message that echoes it */
    public void failed(ValidatedSearch searchOrNull, ApiException error, String bearerToken, long startedNanos) {
        failed(io.cropsearch.model.ApiEndpoint.SEARCH_CROPS, searchOrNull, error, bearerToken, startedNanos);
    }

    /** As above, for a search at {@code endpoint}. */
    public void failed(io.cropsearch.model.ApiEndpoint endpoint, ValidatedSearch searchOrNull, ApiException error,
                       String bearerToken, long startedNanos) {
        try {
            record(factory.failed(Source.API, endpoint, requestId(), null, searchOrNull, null, error, bearerToken,
                    startedNanos, 1));
        } catch (RuntimeException e) {
            writeFailed(e);
        }
    }

    /** A verify's record (see {@link RecordFactory#verified}); like a search's, it never fails the response. */
    public void verified(ValidatedVerify verify, SearchResult result, long startedNanos) {
        try {
            record(factory.verified(requestId(), verify, result, startedNanos));
        } catch (RuntimeException e) {
            writeFailed(e);
        }
    }

    /** @param bearerToken the caller's token, cut out of any upstream message that echoes it */
    public void verifyFailed(ValidatedVerify verifyOrNull, ApiException error, String bearerToken, long startedNanos) {
        try {
            record(factory.verifyFailed(requestId(), verifyOrNull, error, bearerToken, startedNanos));
        } catch (RuntimeException e) {
            writeFailed(e);
        }
    }

    private void record(ResultRecord record) {
        if (!sink.isRemote()) {
            try {
                sink.write(record);
            } catch (RuntimeException e) {
                writeFailed(e);
                spill(record);
            }
            return;
        }
        long bound = waitMillis();
        Future<ResultSink.WriteOutcome> write;
        try {
            write = writer.submit(() -> {
                try {
                    return sink.write(record);
                } catch (RuntimeException e) {
                    writeFailed(e);
                    throw e;
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            writeFailed(e);
            spill(record);
            return;
        }
        try {
            write.get(bound, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Once the response is out, Lambda may freeze the environment mid-write and never thaw it: the write that
            // goes on in the background may be lost, so the record goes to the log too. Should the write still
            // complete, replaying the line changes nothing (the replay's put is conditional, the item the same).
            LOG.warnf("record of request %s not written within %d ms; spilled to the log", record.id(), bound);
            spill(record);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            spill(record);
        } catch (java.util.concurrent.ExecutionException e) {
            // already logged and counted by the task; the record is not in the table
            spill(record);
        }
    }

    /**
     * How long the response may wait for its record: {@code crop-search.records.http-wait}, cut to what the invocation
     * has left minus {@link #RESPONSE_RESERVE_MILLIS} (the response must still leave before Lambda's timeout).
     */
    private long waitMillis() {
        long bound = wait.toMillis();
        long remaining = remainingMillis();
        if (remaining > 0) {
            bound = Math.min(bound, remaining - RESPONSE_RESERVE_MILLIS);
        }
        return Math.max(0, bound);
    }

    /** What the Lambda context says is left, or -1 outside an invocation (and in the mock event server). */
    private long remainingMillis() {
        try {
            Context context = lambdaContext.get();
            return context == null ? -1 : context.getRemainingTimeInMillis();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * The full item as one log line that {@code tools/records/replay.sh} can put into the table later, counted by the
     * {@link SearchMetrics#SPILLED_METRIC} metric. Never throws: the HTTP answer must not suffer.
     */
    private void spill(ResultRecord record) {
        try {
            ObjectNode exportLine = JsonNodeFactory.instance.objectNode();
            exportLine.set("Item", ItemShape.toJson(ItemShape.toItem(record)));
            metrics.recordSpilled(record.source().name().toLowerCase(java.util.Locale.ROOT), exportLine);
            counters.httpRecordSpilled();
        } catch (RuntimeException e) {
            LOG.errorf("record of request %s could not be spilled either: %s", record.id(), e.getClass().getName());
        }
    }

    private void writeFailed(Exception e) {
        // The class, and the message only of our own sink exception: other messages might carry request data.
        String detail = e instanceof SinkUnavailableException ? e.getMessage() : "";
        LOG.errorf("HTTP search record not written: %s %s (%d so far)", e.getClass().getSimpleName(), detail,
                counters.httpRecordFailed());
    }

    /** The invocation's id as the logs carry it, so that a record leads to its log lines. */
    private String requestId() {
        String logged = InvocationIds.requestId();
        if (logged != null) {
            return logged;
        }
        try {
            Context context = lambdaContext.get();
            if (context != null && context.getAwsRequestId() != null) {
                return context.getAwsRequestId();
            }
        } catch (RuntimeException e) {
            // no Lambda context (outside an invocation): a fresh id will do
        }
        return RecordFactory.newId();
    }

    @PreDestroy
    void stop() {
        writer.shutdown();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
