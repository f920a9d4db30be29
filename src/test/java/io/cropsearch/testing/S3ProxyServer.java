package io.cropsearch.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An S3 API on loopback: s3proxy 4.1.0 (in-memory "transient" provider) as its own process, once per test JVM (in the
 * test JVM its Jetty and Jackson clash with Quarkus'). The pom copies the jar to {@code target/test-servers/}.
 *
 * <p>Init arg {@value #BUCKET}: create that bucket. The returned config points the Quarkiverse S3 client here
 * (path-style, static credentials {@code test}/{@code test}).
 */
public class S3ProxyServer implements QuarkusTestResourceLifecycleManager {
    public static final String BUCKET = "bucket";
    private static final String PROPERTY = "cropsearch.test.s3proxy";

    private String bucket;

    @Override
    public void init(Map<String, String> initArgs) {
        bucket = initArgs.get(BUCKET);
    }

    @Override
    public Map<String, String> start() {
        ensureRunning();
        if (bucket != null) {
            createBucket(bucket);
        }
        Map<String, String> config = ServerProcesses.clientConfig("s3", endpoint());
        config.put("quarkus.s3.path-style-access", "true");
        return config;
    }

    @Override
    public void stop() {
        // Shared by every test class of the run; it ends with the JVM.
    }

    public static synchronized String endpoint() {
        return "http://127.0.0.1:" + ensureRunning();
    }

    public static synchronized int ensureRunning() {
        var running = ServerProcesses.running(PROPERTY);
        if (running.isPresent()) {
            return running.get();
        }
        Path dir = Path.of("target", "test-servers");
        Path jar = dir.resolve("s3proxy.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests through Maven (process-test-resources)");
        }
        int port = ServerProcesses.freePort();
        Path properties = dir.resolve("s3proxy.properties");
        try {
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=test",
                    "s3proxy.credential=test",
                    "jclouds.provider=transient",
                    "") );
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = dir.resolve("s3proxy.log");
        // Small heap and C1 only: it serves a few objects, and the test JVM shares two cores with it.
        Process process = ServerProcesses.start(PROPERTY, port, List.of(ServerProcesses.javaExecutable(),
                "-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", jar.toAbsolutePath().toString(), "--properties", properties.toAbsolutePath().toString()),
                dir, log);
        ServerProcesses.awaitHttp("http://127.0.0.1:" + port + "/", process, Duration.ofSeconds(60), log);
        return port;
    }

    public static S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint()))
                .forcePathStyle(true)
                .region(Region.of(DynaliteServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    public static void createBucket(String name) {
        try (S3Client client = client()) {
            client.createBucket(b -> b.bucket(name));
        } catch (BucketAlreadyOwnedByYouException exists) {
            // created by an earlier test class
        } catch (S3Exception e) {
            if (e.statusCode() != 409) {
                throw e;
            }
        }
    }
}
