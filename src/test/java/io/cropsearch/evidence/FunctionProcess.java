package io.cropsearch.evidence;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One emulated Lambda execution environment: the unzipped {@code function.zip} run the way the AWS {@code java21}
 * managed runtime runs it. The JVM's class path holds only the AWS runtime interface client and its dependencies
 * ({@code com.amazonaws.services.lambda.runtime.api.client.AWSLambda}); the working directory is the unzipped function,
 * which the client's own class loader loads (the directory, then {@code lib/*.jar} in lexical order), exactly as
 * {@code /var/task} is loaded on Lambda. The handler is {@code QuarkusStreamHandler::handleRequest}, as in
 * {@code target/sam.jvm.yaml}.
 */
public final class FunctionProcess implements AutoCloseable {
    public static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    public static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    /**
     * JVM flags of the managed Java runtime scaled to the template's 512 MB (heap 85 % of the memory size, serial GC,
     * IPv4 stack), as the java runtimes pass them. Tiered compilation flags are left to {@code JAVA_TOOL_OPTIONS}.
     */
    public static final List<String> LAMBDA_LIKE_JVM_FLAGS = List.of(
            "-XX:MaxHeapSize=445645k", "-XX:+UseSerialGC", "-Xshare:auto", "-Djava.net.preferIPv4Stack=true");

    private final Process process;
    private final Path log;
    private final long startNanos;

    private FunctionProcess(Process process, Path log, long startNanos) {
        this.process = process;
        this.log = log;
        this.startNanos = startNanos;
    }

    /** Settings read from system properties set by tools/evidence/*.sh. */
    public static Path functionDir() {
        return Path.of(System.getProperty("evidence.function.dir", "target/evidence/function")).toAbsolutePath();
    }

    public static String ricClasspath() throws IOException {
        Path dir = Path.of(System.getProperty("evidence.ric.dir", "target/evidence/ric")).toAbsolutePath();
        List<String> jars = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> jars.add(p.toString()));
        }
        if (jars.isEmpty()) {
            throw new IllegalStateException("no runtime interface client jars in " + dir);
        }
        return String.join(File.pathSeparator, jars);
    }

    public static String javaBin() {
        return System.getProperty("evidence.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Starts one environment polling {@code runtimeApi}. {@code javaToolOptions} (may be empty) goes into
     * {@code JAVA_TOOL_OPTIONS}, as a SAM template's environment would set it.
     */
    public static FunctionProcess start(String runtimeApi, String upstreamBaseUrl, List<String> extraJvmFlags,
                                        String javaToolOptions, Map<String, String> extraEnv, Path log)
            throws IOException {
        return start(runtimeApi, upstreamBaseUrl, extraJvmFlags, javaToolOptions, extraEnv, log, functionDir(), HANDLER);
    }

    /**
     * {@link BareHandler} alone in a task root of its own, under the same client, JVM flags and environment: the
     * per-event floor of any Java function here.
     */
    public static FunctionProcess startBare(String runtimeApi, Path log) throws IOException {
        String entry = BareHandler.class.getName().replace('.', '/') + ".class";
        Path taskRoot = log.toAbsolutePath().getParent().resolve("bare-task-root");
        Path target = taskRoot.resolve(entry);
        Files.createDirectories(target.getParent());
        try (var in = BareHandler.class.getClassLoader().getResourceAsStream(entry)) {
            Files.copy(java.util.Objects.requireNonNull(in, entry), target,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return start(runtimeApi, "http://127.0.0.1:9", List.of(), "", Map.of(), log, taskRoot,
                BareHandler.class.getName() + "::handleRequest");
    }

    private static FunctionProcess start(String runtimeApi, String upstreamBaseUrl, List<String> extraJvmFlags,
                                         String javaToolOptions, Map<String, String> extraEnv, Path log,
                                         Path taskRoot, String handler) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBin());
        command.addAll(LAMBDA_LIKE_JVM_FLAGS);
        command.addAll(extraJvmFlags);
        command.add("-cp");
        command.add(ricClasspath());
        command.add(RIC_MAIN);
        command.add(handler);
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("JAVA_TOOL_OPTIONS") || k.startsWith("_JAVA_OPTIONS")
                || k.startsWith("JDK_JAVA_OPTIONS") || k.startsWith("MAVEN_"));
        env.putAll(lambdaEnvironment(runtimeApi));
        env.put("_HANDLER", handler);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("VERIFIK_BASE_URL", upstreamBaseUrl);
        // The Verifik backend (the default picks the embedded one unless VERIFIK_TOKEN is set); extraEnv may override.
        env.put("SEARCH_BACKEND", "verifik");
        // Without RESULTS_TABLE the function appends result records to /tmp/crop-search/results.jsonl; on Lambda every
        // environment has its own /tmp, here they would share one file: give each its own, next to its log.
        env.put("RESULTS_FILE", log.toAbsolutePath() + ".results.jsonl");
        if (javaToolOptions != null && !javaToolOptions.isBlank()) {
            env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
        }
        env.putAll(extraEnv);
        Files.createDirectories(log.toAbsolutePath().getParent());
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        long startNanos = System.nanoTime();
        Process process = builder.start();
        return new FunctionProcess(process, log, startNanos);
    }

    /** The reserved environment variables Lambda sets for a 512 MB java21 function (no credentials: none are needed). */
    static Map<String, String> lambdaEnvironment(String runtimeApi) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("_HANDLER", HANDLER);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "crop-search");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/crop-search");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/25/[$LATEST]0123456789abcdef");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("LAMBDA_TASK_ROOT", functionDir().toString());
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        return env;
    }

    public long pid() {
        return process.pid();
    }

    /** nanoTime just before the process was forked. */
    public long startNanos() {
        return startNanos;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

    /** Quarkus' own "started in N.NNNs" figure, in ms, or -1. */
    public double quarkusStartedMillis() {
        Matcher m = STARTED.matcher(logText());
        return m.find() ? Double.parseDouble(m.group(1)) * 1000 : -1;
    }

    /** A line of {@code /proc/<pid>/status} such as VmRSS or VmHWM, in kB, or -1. */
    public long procStatusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // process gone
        }
        return -1;
    }

    /** CPU time (user + system) the process has used so far, in ms (10 ms resolution), or -1. */
    public long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) ... utime is field 14 of the whole line, index 11 here; stime index 12
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time (ms) used so far by each of the process's threads, summed by thread name with digits folded (so that
     * "executor-thread-1" and "-2" add up), from {@code /proc/<pid>/task/<tid>/stat}. Threads that ended are missing.
     */
    public Map<String, Long> threadCpuMillis() {
        Map<String, Long> byName = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byName.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // process gone
        }
        return byName;
    }

    /** Runs {@code jcmd <pid> <command...>} (the harness JDK's jcmd) and returns its output. */
    public String jcmd(String... args) {
        List<String> command = new ArrayList<>();
        // The function JVM's own jcmd (it may be another JDK than the harness's, see evidence.java).
        command.add(Path.of(javaBin()).resolveSibling("jcmd").toString());
        command.add(Long.toString(pid()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "jcmd failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "jcmd interrupted";
        }
    }

    @Override
    public void close() {
        stop(5);
    }

    /** SIGTERM, then waits up to {@code seconds} for a normal exit (shutdown hooks, dumps at exit) before SIGKILL. */
    public void stop(int seconds) {
        process.destroy();
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
