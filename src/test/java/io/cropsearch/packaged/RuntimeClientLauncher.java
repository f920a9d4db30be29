package io.cropsearch.packaged;

import io.cropsearch.testing.JvmTemplateOptions;
import io.quarkus.test.common.JarArtifactLauncher;
import io.quarkus.test.common.ListeningAddress;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Runs the packaged JVM function for {@code @QuarkusIntegrationTest} the way the AWS Java managed runtime runs it.
 *
 * <p>Why not Quarkus' own jar launcher: the Lambda extension starts its Runtime API poll loop by itself only in a
 * native executable (and in dev and test mode); a packaged JVM function is driven by the runtime interface client,
 * which calls {@code QuarkusStreamHandler}. Started with {@code java -jar}, it would boot and never take an event.
 * So this launcher (registered for Quarkus' {@code JarArtifactLauncher} service) unzips {@code target/function.zip}
 * (the deployment artifact, built by the same build as the jar) as the task root and runs the real AWS runtime
 * interface client over it, polling the Lambda extension's mock event server as its Runtime API. The native
 * executable needs none of this: under {@code -Dnative} Quarkus' native launcher runs it, and it polls itself.
 *
 * <p>The client's jars are copied by the build ({@code maven-dependency-plugin}, execution
 * {@code runtime-client-for-its}) into {@code target/it-runtime-client}; none of them is a project dependency.
 */
public class RuntimeClientLauncher implements JarArtifactLauncher {
    static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    static final String TEST_API = "quarkus-internal.aws-lambda.test-api";

    private JarInitContext context;
    private final Map<String, String> systemProperties = new HashMap<>();
    private Process process;
    private Path log;
    private Path taskRoot;

    @Override
    public void init(JarInitContext context) {
        this.context = context;
    }

    @Override
    public void includeAsSysProps(Map<String, String> properties) {
        systemProperties.putAll(properties);
    }

    @Override
    public Optional<ListeningAddress> start() throws IOException {
        Path target = context.jarPath().toAbsolutePath().getParent();
        Path zip = target.resolve("function.zip");
        Path ricDir = target.resolve("it-runtime-client");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("no " + zip + ": the Lambda build writes it next to " + context.jarPath());
        }
        Path work = Files.createDirectories(target.resolve("packaged-it"));
        taskRoot = work.resolve("task-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        unzip(zip, taskRoot);
        List<String> ric = new ArrayList<>();
        try (var jars = Files.list(ricDir)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> ric.add(p.toString()));
        }
        if (ric.isEmpty()) {
            throw new IllegalStateException("no runtime interface client jars in " + ricDir);
        }
        String runtimeApi = systemProperties.get(TEST_API);
        if (runtimeApi == null) {
            throw new IllegalStateException("the Lambda mock event server did not start (no " + TEST_API + ")");
        }

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The managed runtime's own flags (see tools/evidence: FunctionProcess), then the test's.
        command.addAll(List.of("-XX:+UseSerialGC", "-Xshare:auto", "-Djava.net.preferIPv4Stack=true"));
        command.addAll(context.argLine());
        // The client unpacks its JNI library to one fixed /tmp path; processes starting together would clash there.
        command.add("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI="
                + jniLibrary(ricDir, work));
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-Dquarkus.profile=" + Optional.ofNullable(context.testProfile()).orElse("prod"));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, ric));
        command.add(RIC_MAIN);
        command.add(HANDLER);

        log = work.resolve(taskRoot.getFileName() + ".log");
        // The tests (same JVM) read what the function logged: FunctionLog.
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("JAVA_TOOL_OPTIONS") || k.startsWith("MAVEN_"));
        // The JVM flags the JVM template deploys for this backend, /var/task being the task root: the embedded
        // backend's compiler directives must be in the zip, or the JVM does not start. The AOT cache is not (it is
        // trained after the build, tools/startup), which the runtime skips with a warning, as it would on AWS.
        env.put("JAVA_TOOL_OPTIONS", JvmTemplateOptions.forBackend(
                "embedded".equals(systemProperties.get("crop-search.backend")), taskRoot));
        env.putAll(context.env());
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("_HANDLER", HANDLER);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("TZ", ":UTC");
        process = builder.start();
        System.setProperty(FunctionLog.PROPERTY, log.toString());
        awaitStarted();
        return Optional.empty();
    }

    /** Quarkus boots in the handler's constructor, before the first poll: its "started in" line means ready. */
    private void awaitStarted() throws IOException {
        long deadline = System.nanoTime() + context.waitTime().toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.readString(log);
            if (text.contains("started in")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the packaged function exited (status " + process.exitValue()
                        + ") before it started; its output:\n" + text);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        close();
        throw new IllegalStateException("the packaged function did not start within " + context.waitTime()
                + "; its output is in " + log);
    }

    @Override
    public LaunchResult runToCompletion(String[] args) {
        throw new UnsupportedOperationException("a Lambda function runs until it is stopped");
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(context.shutdownTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        // The unzipped function (about 50 MB) goes; its output stays next to it for reading after a failure.
        try (var paths = Files.walk(taskRoot)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Left for mvn clean.
        }
    }

    private static Path jniLibrary(Path ricDir, Path work) throws IOException {
        Path library = work.resolve("libaws-lambda-jni.so");
        if (Files.isRegularFile(library)) {
            return library;
        }
        try (var jars = Files.list(ricDir)) {
            Path client = jars.filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no runtime interface client in " + ricDir));
            try (ZipFile jar = new ZipFile(client.toFile())) {
                ZipEntry entry = jar.getEntry("jni/libaws-lambda-jni.linux-x86_64.so");
                if (entry == null) {
                    throw new IllegalStateException("no linux x86_64 JNI library in " + client);
                }
                Path temp = Files.createTempFile(work, "jni", ".so");
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(temp, library, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return library;
    }

    private static void unzip(Path zip, Path dir) {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                Path out = dir.resolve(entry.getName()).normalize();
                if (!out.startsWith(dir)) {
                    throw new IOException("zip entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = z.getInputStream(entry)) {
                        Files.copy(in, out);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unzip " + zip, e);
        }
    }
}
