import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Trains the function's ahead-of-time cache (JDK 25, JEP 483/515) on a representative run and puts it into the
 * deployment zip. JDK classes only, run as a source file ({@code java AotTrain.java ...}), so that it runs unchanged
 * inside the Lambda java25 base image, where the deployable cache has to be made (a cache loads only on the JDK build
 * that wrote it), and here on Temurin 25 for the measurement. See docs/DEPLOY.md, "Start-up: the AOT cache".
 *
 * <p>What it does: unzips {@code --zip} into {@code --task-root}; starts a Lambda Runtime API of its own and a stub of
 * the Verifik search on loopback; launches the runtime command given after {@code --} (in the base image the runtime's
 * own {@code /var/runtime/bootstrap}; here the AWS runtime interface client under Temurin 25) with the task root as
 * working directory and {@code JAVA_TOOL_OPTIONS=-XX:AOTCacheOutput=<cache>}; serves it what a cold environment
 * serves (a search in FAST and ACCURATE, a refused search, an unauthenticated one); stops it with SIGTERM, upon which
 * the JVM writes the cache; and stores the cache in the zip under the backend's name ({@link #ENTRIES}).
 *
 * <p>One cache per backend, each trained on its own backend's run: {@code --backend verifik} (the default) searches
 * through the stub; {@code --backend embedded} searches a copy of the gallery file {@code --gallery} (the classes,
 * the gallery's load and the nets' profiles are what its start needs; a cache trained on the Verifik run holds none
 * of them).
 *
 * <p>Usage: {@code java AotTrain.java --zip target/function.zip --task-root DIR --image crop.png [--searches N]
 * [--backend verifik|embedded] [--gallery gallery.json] [--out-zip target/function.zip] -- <runtime command...>}
 */
public final class AotTrain {
    /** The cache each backend's template settings name (infra/template-jvm.yaml, JAVA_TOOL_OPTIONS). */
    static final Map<String, String> ENTRIES = Map.of("verifik", "aot/crop-search.aot",
            "embedded", "aot/crop-search-embedded.aot");
    /**
     * The JVM options the template deploys each backend with besides the cache ({@code /var/task} standing for the task
     * root): the training runs under them too. The JIT settings, so that the cache's training data (JEP 515: the levels
     * methods were compiled at, their profiles) describe the run it will serve; and the module option, which a cache
     * must be written with to be used with it (a mismatch disables the cache). The option opens java.lang to the
     * function's classes, what Quarkus' runner jar declares in its manifest ({@code Add-Opens}) and a Lambda function,
     * run from a class path, never reads: without it JBoss Threads fails on Java 24+ whenever one of its threads ends.
     */
    static final Map<String, String> OPTIONS = Map.of("verifik", "-XX:TieredStopAtLevel=1 --add-opens=java.base/java.lang=ALL-UNNAMED",
            "embedded", "-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=/var/task/jvm/compiler-directives.json "
                    + "--add-opens=java.base/java.lang=ALL-UNNAMED");
    static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    static final String SEARCH = "/v2/face-recognition/search/crops";
    static final String UPSTREAM_OK = "{\"id\":\"SC01\",\"data\":[{\"id\":\"person_id\",\"name\":\"John Doe\",\"score\":0.91,"
            + "\"thumbnails\":[{\"id\":\"thumb_id\",\"thumbnail\":\"aGVsbG8=\"}]}],\"signature\":{\"message\":"
            + "\"Certified by Verifik.co\",\"dateTime\":\"January 16, 2024 3:44 PM\"}}";

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new java.util.HashMap<>();
        List<String> command = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                command.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        Path zip = Path.of(require(opts, "zip"));
        Path taskRoot = Path.of(require(opts, "task-root")).toAbsolutePath();
        byte[] image = Files.readAllBytes(Path.of(require(opts, "image")));
        int searches = Integer.parseInt(opts.getOrDefault("searches", "20"));
        Path outZip = Path.of(opts.getOrDefault("out-zip", zip.toString()));
        String backend = opts.getOrDefault("backend", "verifik");
        String entry = ENTRIES.get(backend);
        if (entry == null) {
            throw new IllegalArgumentException("--backend is verifik or embedded, not " + backend);
        }
        String gallery = backend.equals("embedded") ? require(opts, "gallery") : null;
        String collection = gallery == null ? "col-training" : null;
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no runtime command after --");
        }

        unzip(zip, taskRoot);
        Path cache = taskRoot.resolve(entry);
        Files.createDirectories(cache.getParent());
        Files.deleteIfExists(cache);

        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext(SEARCH, exchange -> {
            exchange.getRequestBody().readAllBytes();
            answer(exchange, 200, UPSTREAM_OK.getBytes(StandardCharsets.UTF_8));
        });
        upstream.start();
        try (RuntimeApi api = new RuntimeApi()) {
            ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile()).inheritIO();
            Map<String, String> env = builder.environment();
            env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + api.port());
            env.put("_HANDLER", HANDLER);
            env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            env.put("AWS_LAMBDA_FUNCTION_NAME", "crop-search-aot-training");
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
            env.put("AWS_REGION", env.getOrDefault("AWS_REGION", "us-east-1"));
            env.put("VERIFIK_BASE_URL", "http://127.0.0.1:" + upstream.getAddress().getPort());
            env.put("SEARCH_BACKEND", backend);
            if (gallery != null) {
                // A copy: the embedded backend's file store may rewrite its file, and the trainer must not.
                Path copy = taskRoot.resolveSibling("aot-training-gallery.json");
                Files.copy(Path.of(gallery), copy, StandardCopyOption.REPLACE_EXISTING);
                env.put("GALLERY_FILE", copy.toString());
                env.put("API_GUARDED_BY_AUTHORIZER", "true");
            }
            env.put("RESULTS_FILE", taskRoot.resolveSibling("aot-training-results.jsonl").toString());
            String record = opts.getOrDefault("mode", "aot").equals("aot") ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=";
            String options = OPTIONS.get(backend).replace("/var/task", taskRoot.toString());
            env.put("JAVA_TOOL_OPTIONS", (record + cache + " " + options + " " + env.getOrDefault("AOT_TRAINING_OPTIONS", "")).trim());
            Process function = builder.start();
            try {
                String crop = Base64.getEncoder().encodeToString(image);
                for (int i = 0; i < searches; i++) {
                    String mode = i % 2 == 0 ? "FAST" : "ACCURATE";
                    expect(api.invoke(event(body(crop, collection, mode, 0.7), "Bearer training-token", "search-" + i)), 200, function);
                }
                expect(api.invoke(event(body(crop, collection, "FAST", 0.3), "Bearer training-token", "refused")), 409, function);
                expect(api.invoke(event(body(crop, collection, "FAST", 0.7), null, "unauthenticated")), 401, function);
            } finally {
                function.destroy(); // SIGTERM: the JVM exits normally and writes the cache (it forks a JVM for that)
                if (!function.waitFor(600, TimeUnit.SECONDS)) {
                    function.destroyForcibly();
                    throw new IllegalStateException("the function did not exit after SIGTERM within 600 s");
                }
            }
        } finally {
            upstream.stop(0);
        }
        if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
            throw new IllegalStateException("no AOT cache written at " + cache + " (see the function's output above)");
        }
        addToZip(zip, outZip, cache, entry);
        System.out.printf("AOT cache %s (%d MB) trained by %s %s, stored in %s as %s%n", cache, Files.size(cache) >> 20,
                System.getProperty("java.vm.vendor"), System.getProperty("java.runtime.version"), outZip, entry);
    }

    static String require(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }

    /** {@code collection} null: no collection_id (the embedded backend then searches its whole training gallery). */
    static String body(String crop, String collection, String mode, double minScore) {
        String col = collection == null ? "" : "\"collection_id\":\"" + collection + "\",";
        return "{\"images\":[\"" + crop + "\"]," + col + "\"min_score\":" + minScore
                + ",\"search_mode\":\"" + mode + "\",\"max_results\":10}";
    }

    /** An API Gateway HTTP API (payload 2.0) event for the search route, as API Gateway sends it. */
    static String event(String body, String authorization, String requestId) {
        String auth = authorization == null ? "" : ",\"authorization\":\"" + authorization + "\"";
        return "{\"version\":\"2.0\",\"routeKey\":\"POST " + SEARCH + "\",\"rawPath\":\"" + SEARCH + "\",\"rawQueryString\":\"\","
                + "\"headers\":{\"content-type\":\"application/json\",\"content-length\":\"" + body.length() + "\"" + auth
                + ",\"host\":\"api.example\",\"x-forwarded-proto\":\"https\"},"
                + "\"requestContext\":{\"accountId\":\"123456789012\",\"apiId\":\"api\",\"domainName\":\"api.example\","
                + "\"requestId\":\"" + requestId + "\",\"routeKey\":\"POST " + SEARCH + "\",\"stage\":\"$default\","
                + "\"time\":\"30/Nov/2026:00:00:00 +0000\",\"timeEpoch\":1795996800000,\"http\":{\"method\":\"POST\","
                + "\"path\":\"" + SEARCH + "\",\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"203.0.113.10\",\"userAgent\":\"aot\"}},"
                + "\"body\":" + quote(body) + ",\"isBase64Encoded\":false}";
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static void expect(CompletableFuture<String> response, int status, Process function) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!response.isDone()) {
            if (!function.isAlive()) {
                throw new IllegalStateException("the function exited (status " + function.exitValue() + ") before answering");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no answer within 180 s");
            }
            Thread.sleep(20);
        }
        String body = response.get();
        if (!body.contains("\"statusCode\":" + status)) {
            function.destroyForcibly();
            throw new IllegalStateException("expected an API Gateway response with status " + status + ", got: "
                    + body.substring(0, Math.min(400, body.length())));
        }
    }

    static void unzip(Path zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("zip entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = z.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    /** Copies the zip with the cache as the backend's entry (replacing an older one), then moves it into place. */
    static void addToZip(Path zip, Path outZip, Path cache, String entryName) throws IOException {
        Path temp = Files.createTempFile(outZip.toAbsolutePath().getParent(), "function", ".zip");
        try (ZipFile in = new ZipFile(zip.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(temp))) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.getName().equals(entryName)) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(entryName));
            Files.copy(cache, out);
            out.closeEntry();
        }
        Files.move(temp, outZip, StandardCopyOption.REPLACE_EXISTING);
    }

    static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The Lambda Runtime API as far as one environment uses it: next, response, error, init error. */
    static final class RuntimeApi implements AutoCloseable {
        private final HttpServer server;
        private final BlockingQueue<String[]> queue = new LinkedBlockingQueue<>();
        private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();

        RuntimeApi() throws IOException {
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.createContext("/2018-06-01/runtime/", this::handle);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        CompletableFuture<String> invoke(String event) {
            String id = "aot-" + ids.incrementAndGet();
            CompletableFuture<String> result = new CompletableFuture<>();
            pending.put(id, result);
            queue.add(new String[] {id, event});
            return result;
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.endsWith("/invocation/next")) {
                String[] next;
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", next[0]);
                exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 15_000));
                exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:123456789012:function:crop-search-aot-training");
                exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000");
                answer(exchange, 200, next[1].getBytes(StandardCharsets.UTF_8));
                return;
            }
            String[] parts = path.split("/");
            if (path.contains("/invocation/") && (path.endsWith("/response") || path.endsWith("/error"))) {
                CompletableFuture<String> result = pending.remove(parts[parts.length - 2]);
                if (result != null) {
                    result.complete(path.endsWith("/error") ? "invocation error: " + new String(body, StandardCharsets.UTF_8)
                            : new String(body, StandardCharsets.UTF_8));
                }
            } else if (path.endsWith("/init/error")) {
                System.err.println("init error: " + new String(body, StandardCharsets.UTF_8));
                pending.values().forEach(f -> f.complete("init error"));
            }
            answer(exchange, 202, new byte[0]);
        }

        @Override
        public void close() {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
