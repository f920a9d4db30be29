package io.cropsearch.records;

import com.amazonaws.services.lambda.runtime.Context;
import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.errors.ApiException;
import io.cropsearch.observability.InvocationIds;
import io.cropsearch.records.sink.ResultSink;
import io.cropsearch.records.sink.SinkUnavailableException;
import io.cropsearch.search.SearchResult;
import io.cropsearch.validation.ValidatedSearch;
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
 * {@code crop-search.records.http-wait}: a remote sink's write (DynamoDB) runs on a small background pool and is waited
 * for only that long, so that in the normal case it is done before Lambda freezes the environment; a local file is
 * appended on the caller's thread. Trouble is logged and counted
 * ({@link RecordCounters#httpRecordFailures()}), nothing more.
 */
@ApplicationScoped
public class HttpSearchRecorder {
    private static final Logger LOG = Logger.getLogger(HttpSearchRecorder.class);

    private final ResultSink sink;
    private final RecordFactory factory;
    private final RecordCounters counters;
    private final Instance<Context> lambdaContext;
    private final Duration wait;
    private final ThreadPoolExecutor writer;

    public HttpSearchRecorder(ResultSink sink, RecordFactory factory, RecordCounters counters,
                              Instance<Context> lambdaContext, CropSearchConfig config) {
        this.sink = sink;
        this.factory = factory;
        this.counters = counters;
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
        try {
            record(factory.failed(Source.API, requestId(), null, searchOrNull, null, error, bearerToken, startedNanos,
                    1));
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
            }
            return;
        }
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
            return;
        }
        try {
            write.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("record of request %s still being written after %d ms; answering anyway", record.id(),
                    wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // already logged and counted by the task
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
