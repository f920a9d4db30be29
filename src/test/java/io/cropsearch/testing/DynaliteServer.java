package io.cropsearch.testing;

import io.cropsearch.records.ItemShape;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A DynamoDB API on loopback: npm {@code dynalite@4.0.0} (in memory) started once per test JVM. Its node_modules come
 * from {@code src/test/servers/package-lock.json} through {@code npm ci} the first time (needs node and npm).
 *
 * <p>Init arg {@value #RESULTS_TABLE}: create that table with the records' key schema and point the function at it.
 * The returned config points the Quarkiverse DynamoDB client here with static credentials.
 */
public class DynaliteServer implements QuarkusTestResourceLifecycleManager {
    public static final String RESULTS_TABLE = "results-table";
    public static final String REGION = "us-east-1";
    private static final String PROPERTY = "cropsearch.test.dynalite";
    private static final Path SERVERS = Path.of("src", "test", "servers");

    private String table;

    @Override
    public void init(Map<String, String> initArgs) {
        table = initArgs.get(RESULTS_TABLE);
    }

    @Override
    public Map<String, String> start() {
        ensureRunning();
        Map<String, String> config = ServerProcesses.clientConfig("dynamodb", endpoint());
        if (table != null) {
            createTable(table);
            config.put("crop-search.records.table", table);
        }
        return config;
    }

    @Override
    public void stop() {
        // Shared by every test class of the run; it ends with the JVM.
    }

    public static synchronized String endpoint() {
        return "http://127.0.0.1:" + ensureRunning();
    }

    /** Starts dynalite unless it runs; a restarted one keeps the port it had (and loses its tables). */
    public static synchronized int ensureRunning() {
        var running = ServerProcesses.running(PROPERTY);
        if (running.isPresent()) {
            return running.get();
        }
        installIfMissing();
        int port = ServerProcesses.lastPort(PROPERTY).orElseGet(ServerProcesses::freePort);
        Path log = Path.of("target", "test-servers", "dynalite.log");
        Process process = ServerProcesses.start(PROPERTY, port, List.of("node", "node_modules/dynalite/cli.js",
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"), SERVERS, log);
        ServerProcesses.awaitHttp("http://127.0.0.1:" + port + "/", process, Duration.ofSeconds(20), log);
        return port;
    }

    /** Stops the server: the function then finds DynamoDB unreachable. {@link #ensureRunning()} brings it back. */
    public static synchronized void kill() {
        ServerProcesses.kill(PROPERTY);
    }

    public static DynamoDbClient client() {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** Creates the results table (the shape the function writes) unless it exists. */
    public static void createTable(String name) {
        try (DynamoDbClient client = client()) {
            client.createTable(ItemShape.createTableRequest(name));
        } catch (ResourceInUseException exists) {
            // created by an earlier test class
        }
    }

    private static void installIfMissing() {
        if (Files.exists(SERVERS.resolve("node_modules/dynalite/cli.js"))) {
            return;
        }
        try {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(SERVERS.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "npm-ci.log").toFile()))
                    .start();
            if (!npm.waitFor(180, TimeUnit.SECONDS) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci for dynalite failed; see target/npm-ci.log");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("npm is needed to install dynalite for the tests", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
