package io.cropsearch.evidence;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal, loopback-only Lambda Runtime API (the {@code 2018-06-01} interface a runtime polls), enough for the real
 * AWS runtime interface client and for Quarkus' own poll loop:
 * <ul>
 *   <li>{@code GET /2018-06-01/runtime/invocation/next} blocks until an event is queued, then returns it with
 *   {@code Lambda-Runtime-Aws-Request-Id}, {@code Lambda-Runtime-Deadline-Ms}, {@code Lambda-Runtime-Invoked-Function-Arn}
 *   and {@code Lambda-Runtime-Trace-Id};</li>
 *   <li>{@code POST /2018-06-01/runtime/invocation/{id}/response} and {@code .../error} complete that invocation (202);</li>
 *   <li>{@code POST /2018-06-01/runtime/init/error} records an initialisation failure (202).</li>
 * </ul>
 * Like Lambda, every execution environment (process) polling it gets one event at a time: an event is handed to whichever
 * poller asks next, and that poller gets no other event until it asks again. Several processes may poll one emulator (N
 * emulated execution environments sharing one queue). Timestamps ({@link System#nanoTime()}, this JVM's clock) are kept
 * for every poll, delivery and completion.
 */
public final class RuntimeApiEmulator implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime";
    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:crop-search";

    static {
        // The JDK server writes headers and body as separate segments; with Nagle's algorithm on, the body then waits
        // for the client's delayed ACK (40 ms on Linux). Lambda's own Runtime API does not behave like that.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One finished invocation, with this JVM's nanoTime stamps. */
    public record Result(String requestId, boolean error, byte[] body, String errorType,
                         long enqueuedNanos, long deliveredNanos, long completedNanos) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** Time from queueing the event to the runtime posting its answer. */
        public long latencyNanos() {
            return completedNanos - enqueuedNanos;
        }
    }

    private static final class Pending {
        final String requestId = UUID.randomUUID().toString();
        final byte[] event;
        final long enqueuedNanos = System.nanoTime();
        final CompletableFuture<Result> done = new CompletableFuture<>();
        volatile long deliveredNanos;

        Pending(byte[] event) {
            this.event = event;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, Pending> inflight = new ConcurrentHashMap<>();
    private final List<Long> pollNanos = new CopyOnWriteArrayList<>();
    private final List<String> initErrors = new CopyOnWriteArrayList<>();
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicLong firstPollNanos = new AtomicLong();
    private final long functionTimeoutMillis;
    private volatile boolean closed;
    private volatile Runnable onPoll = () -> { };

    private RuntimeApiEmulator(long functionTimeoutMillis) throws IOException {
        this.functionTimeoutMillis = functionTimeoutMillis;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        // Pollers block in /next: every connection needs its own thread.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runtime-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(PREFIX + "/", this::handle);
        server.start();
    }

    /** Starts an emulator on a free loopback port; {@code functionTimeoutMillis} sets each event's deadline. */
    public static RuntimeApiEmulator start(long functionTimeoutMillis) throws IOException {
        return new RuntimeApiEmulator(functionTimeoutMillis);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Queues an event; the future completes when a runtime posts its response or error. */
    public CompletableFuture<Result> invoke(byte[] event) {
        Pending pending = new Pending(event);
        inflight.put(pending.requestId, pending);
        queue.add(pending);
        return pending.done;
    }

    /** nanoTime of the first {@code /next} poll, or 0 if none yet. */
    public long firstPollNanos() {
        return firstPollNanos.get();
    }

    /** Waits until at least {@code count} polls of {@code /next} have arrived (each environment polls once when ready). */
    public boolean awaitPolls(int count, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (polls.get() < count) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Runs {@code hook} on the poller's connection thread at the start of every {@code /next} poll. */
    public void onPoll(Runnable hook) {
        this.onPoll = hook;
    }

    public int polls() {
        return polls.get();
    }

    public List<Long> pollNanos() {
        return List.copyOf(pollNanos);
    }

    public List<String> initErrors() {
        return List.copyOf(initErrors);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if ("GET".equals(method) && path.equals(PREFIX + "/invocation/next")) {
                next(exchange);
            } else if ("POST".equals(method) && path.equals(PREFIX + "/init/error")) {
                String body = new String(readAll(exchange.getRequestBody()), StandardCharsets.UTF_8);
                initErrors.add(exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type") + " " + body);
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if ("POST".equals(method) && path.startsWith(PREFIX + "/invocation/")) {
                complete(exchange, path.substring((PREFIX + "/invocation/").length()));
            } else {
                reply(exchange, 404, "{\"errorType\":\"NotFound\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        onPoll.run();
        firstPollNanos.compareAndSet(0, now);
        pollNanos.add(now);
        polls.incrementAndGet();
        Pending pending = null;
        try {
            while (pending == null && !closed) {
                pending = queue.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pending == null) {
            reply(exchange, 500, "{\"errorType\":\"ShuttingDown\"}");
            return;
        }
        pending.deliveredNanos = System.nanoTime();
        var headers = exchange.getResponseHeaders();
        headers.add("Content-Type", "application/json");
        headers.add("Lambda-Runtime-Aws-Request-Id", pending.requestId);
        headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + functionTimeoutMillis));
        headers.add("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN);
        headers.add("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000)
                + "-" + pending.requestId.replace("-", "").substring(0, 24) + ";Sampled=0");
        exchange.sendResponseHeaders(200, pending.event.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(pending.event);
        }
    }

    private void complete(HttpExchange exchange, String rest) throws IOException {
        int slash = rest.indexOf('/');
        if (slash < 0) {
            reply(exchange, 404, "{\"errorType\":\"NotFound\"}");
            return;
        }
        String requestId = rest.substring(0, slash);
        String kind = rest.substring(slash + 1);
        byte[] body = readAll(exchange.getRequestBody());
        Pending pending = inflight.remove(requestId);
        if (pending == null || !(kind.equals("response") || kind.equals("error"))) {
            reply(exchange, 400, "{\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        long now = System.nanoTime();
        reply(exchange, 202, "{\"status\":\"OK\"}");
        boolean error = kind.equals("error");
        String errorType = error ? exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type") : null;
        pending.done.complete(new Result(requestId, error, body, errorType, pending.enqueuedNanos,
                pending.deliveredNanos, now));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
