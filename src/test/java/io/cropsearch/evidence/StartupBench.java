package io.cropsearch.evidence;

import com.github.tomakehurst.wiremock.WireMockServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Cold start of the packaged function, run as the AWS java21 managed runtime runs it (real runtime interface client,
 * unzipped function.zip as the task root, handler {@code QuarkusStreamHandler::handleRequest}) against
 * {@link RuntimeApiEmulator}. Like a cold invocation on Lambda, the first event is already queued when the process
 * starts. Per run it records:
 * <ul>
 *   <li>init: process fork to the first {@code /next} poll (Lambda's "Init Duration");</li>
 *   <li>first event handled: process fork to the first response posted;</li>
 *   <li>first-request latency: the first event's delivery to its response (Lambda's "Duration" of the cold call);</li>
 *   <li>second- and tenth-request latency;</li>
 *   <li>Quarkus' own "started in" figure, and HotSpot's counters (classes loaded, class-loading and JIT time).</li>
 * </ul>
 * The upstream stub answers at once, so the request figures are the function's own cost.
 *
 * <p>System properties: {@code evidence.runs} (5), {@code evidence.variants} (comma list of name=JAVA_TOOL_OPTIONS,
 * default {@code default=,c1=-XX:+TieredCompilation -XX:TieredStopAtLevel=1}), {@code evidence.out} (log directory).
 */
public final class StartupBench {

    record Run(double initMs, double firstHandledMs, double firstRequestMs, double secondRequestMs,
               double tenthRequestMs, double quarkusMs, Map<String, String> counters, long rssKb,
               double initCpuMs, double firstRequestCpuMs) {
    }

    public static void main(String[] args) throws Exception {
        int runs = Evidence.intProp("evidence.runs", 5);
        Map<String, String> variants = parseVariants(Evidence.prop("evidence.variants",
                "default=;c1=-XX:+TieredCompilation -XX:TieredStopAtLevel=1"));
        variants.replaceAll((name, options) -> options
                .replace(TEMPLATE_OPTIONS + "-embedded", templateJavaToolOptions(true))
                .replace(TEMPLATE_OPTIONS, templateJavaToolOptions(false)));
        Map<String, Map<String, String>> environments = new LinkedHashMap<>();
        for (String name : variants.keySet()) {
            Map<String, String> env = parseEnv(Evidence.prop("evidence.env", ""));
            env.putAll(parseEnv(Evidence.prop("evidence.env." + name, "")));
            environments.put(name, env);
        }
        Path out = Path.of(Evidence.prop("evidence.out", "target/evidence/startup"));
        System.out.println("# start-up: " + Evidence.conditions());
        System.out.println("# function JVM: " + FunctionProcess.javaBin() + " " + FunctionProcess.LAMBDA_LIKE_JVM_FLAGS);

        byte[] crop = Evidence.sampleCrop();
        String body = Evidence.requestBody(crop, "FAST");
        WireMockServer stub = Evidence.startStub();
        stub.stubFor(post(urlPathEqualTo(Evidence.PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(Evidence.UPSTREAM_OK)));
        String upstream = "http://127.0.0.1:" + stub.port();
        try {
            if (Boolean.parseBoolean(Evidence.prop("evidence.appcds", "true"))) {
                Path jsa = out.resolve("app-cds.jsa").toAbsolutePath();
                String c1 = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
                try {
                    train(upstream, body, c1, jsa, out);
                    variants.put("c1-appcds", c1 + " -XX:SharedArchiveFile=" + jsa);
                } catch (Exception e) {
                    System.out.println("# AppCDS training failed, variant skipped: " + e.getMessage());
                }
            }
            Map<String, List<Run>> results = new LinkedHashMap<>();
            // Interleave variants run by run, so that a change in the machine's load hits all of them alike.
            for (int i = 0; i < runs; i++) {
                for (var variant : variants.entrySet()) {
                    Run run = once(upstream, body, variant.getValue(), environments.get(variant.getKey()),
                            out.resolve(variant.getKey() + "-" + i + ".log"));
                    results.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(run);
                    System.out.printf(Locale.ROOT, "run %d %-9s init=%.0f firstHandled=%.0f firstReq=%.0f secondReq=%.1f "
                                    + "tenthReq=%.1f quarkusStarted=%.0f initCpu=%.0f firstReqCpu=%.0f classes=%s "
                                    + "shared=%s rss=%dMB%n", i, variant.getKey(),
                            run.initMs, run.firstHandledMs, run.firstRequestMs, run.secondRequestMs, run.tenthRequestMs,
                            run.quarkusMs, run.initCpuMs, run.firstRequestCpuMs, run.counters.get("java.cls.loadedClasses"),
                            run.counters.get("java.cls.sharedLoadedClasses"), run.rssKb / 1024);
                }
            }
            System.out.println();
            System.out.println("## summary (ms; median, min, max over " + runs + " runs; " + Evidence.conditions() + ")");
            for (var e : results.entrySet()) {
                List<Run> rs = e.getValue();
                System.out.println("variant " + e.getKey() + " (JAVA_TOOL_OPTIONS='" + variants.get(e.getKey()) + "'"
                        + (environments.get(e.getKey()).isEmpty() ? "" : ", environment " + environments.get(e.getKey()))
                        + ")");
                System.out.println("  init (fork -> first /next)          " + Evidence.mmm(col(rs, Run::initMs)));
                System.out.println("  fork -> first event handled         " + Evidence.mmm(col(rs, Run::firstHandledMs)));
                System.out.println("  first-request latency               " + Evidence.mmm(col(rs, Run::firstRequestMs)));
                System.out.println("  second-request latency              " + Evidence.mmm(col(rs, Run::secondRequestMs)));
                System.out.println("  tenth-request latency               " + Evidence.mmm(col(rs, Run::tenthRequestMs)));
                System.out.println("  Quarkus 'started in'                " + Evidence.mmm(col(rs, Run::quarkusMs)));
                System.out.println("  CPU time of init (all threads)      " + Evidence.mmm(col(rs, Run::initCpuMs)));
                System.out.println("  CPU time of first request           " + Evidence.mmm(col(rs, Run::firstRequestCpuMs)));
                System.out.println("  HotSpot counters of run 0 after the first event: " + rs.get(0).counters);
            }
            if (Boolean.parseBoolean(Evidence.prop("evidence.jfr", "true"))) {
                var first = variants.entrySet().iterator().next();
                profile(upstream, body, first.getKey(), first.getValue(), out);
            }
        } finally {
            stub.stop();
        }
    }

    /**
     * Trains a dynamic AppCDS archive (JDK 13+ {@code -XX:ArchiveClassesAtExit}): one cold start plus ten requests,
     * then a normal exit, which writes the archive. A variant then starts with {@code -XX:SharedArchiveFile}. On Lambda
     * the archive would have to be made by the exact JDK build of the runtime and shipped in the zip.
     */
    static void train(String upstream, String body, String javaToolOptions, Path jsa, Path out) throws Exception {
        java.nio.file.Files.deleteIfExists(jsa);
        try (RuntimeApiEmulator api = RuntimeApiEmulator.start(15_000);
             FunctionProcess fn = FunctionProcess.start(api.address(), upstream, List.of(),
                     javaToolOptions + " -XX:ArchiveClassesAtExit=" + jsa, Map.of(), out.resolve("appcds-train.log"))) {
            for (int i = 0; i < 10; i++) {
                check(api.invoke(Evidence.apiGatewayEvent(body, "train-" + i)).get(120, TimeUnit.SECONDS), fn);
            }
            fn.stop(120);
        }
        if (!java.nio.file.Files.exists(jsa)) {
            throw new IllegalStateException("no AppCDS archive written; see " + out.resolve("appcds-train.log"));
        }
        System.out.println("# AppCDS archive " + jsa + " (" + java.nio.file.Files.size(jsa) / 1024 / 1024 + " MB)");
    }

    /**
     * One more cold start of a variant with JFR recording from JVM start ({@code settings=profile}: Java stacks sampled
     * every 10 ms per thread), summarised separately for the init phase and for the first request. JFR itself costs
     * some start-up time; this run's timings are not part of the figures above.
     */
    static void profile(String upstream, String body, String name, String javaToolOptions, Path out) throws Exception {
        Path recording = out.resolve("startup-" + name + ".jfr").toAbsolutePath();
        Path classLog = out.resolve("startup-" + name + "-classes.log").toAbsolutePath();
        try (RuntimeApiEmulator api = RuntimeApiEmulator.start(15_000)) {
            var first = api.invoke(Evidence.apiGatewayEvent(body, "cold-jfr"));
            long forkWall = System.currentTimeMillis();
            try (FunctionProcess fn = FunctionProcess.start(api.address(), upstream,
                    List.of("-XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true",
                            "-Xlog:class+load=info:file=" + classLog + ":uptime"),
                    javaToolOptions, Map.of(), out.resolve("startup-" + name + "-jfr.log"))) {
                RuntimeApiEmulator.Result r1 = first.get(120, TimeUnit.SECONDS);
                check(r1, fn);
                long nowNanos = System.nanoTime();
                long nowWall = System.currentTimeMillis();
                long pollWall = nowWall - (nowNanos - api.firstPollNanos()) / 1_000_000;
                long deliveredWall = nowWall - (nowNanos - r1.deliveredNanos()) / 1_000_000;
                long completedWall = nowWall - (nowNanos - r1.completedNanos()) / 1_000_000;
                fn.jcmd("JFR.dump", "filename=" + recording);
                System.out.println();
                System.out.printf(Locale.ROOT, "## where start-up time goes (variant %s, one JFR-recorded cold start: init %d ms, "
                        + "first request %d ms; JFR adds its own cost)%n", name, pollWall - forkWall,
                        completedWall - deliveredWall);
                System.out.println("### init phase (fork -> first /next)");
                System.out.print(JfrSummary.summarise(recording, 20, forkWall, pollWall));
                System.out.println("### first request (delivered -> response posted)");
                System.out.print(JfrSummary.summarise(recording, 20, deliveredWall, completedWall));
                System.out.println("### classes loaded (-Xlog:class+load, JVM uptime; fork taken as uptime 0)");
                System.out.print(classLoads(classLog, pollWall - forkWall, deliveredWall - forkWall,
                        completedWall - forkWall));
            }
        }
    }

    /** Counts class loads before init ended and during the first request, by package (first three segments). */
    static String classLoads(Path log, long initEndMs, long firstFromMs, long firstToMs) throws java.io.IOException {
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("^\\[([0-9.]+)s\\]\\s+(\\S+) source: (.*)$");
        int init = 0;
        int initShared = 0;
        int first = 0;
        Map<String, Integer> initByPackage = new java.util.HashMap<>();
        Map<String, Integer> firstByPackage = new java.util.HashMap<>();
        for (String l : java.nio.file.Files.readAllLines(log)) {
            java.util.regex.Matcher m = line.matcher(l);
            if (!m.find()) {
                continue;
            }
            double at = Double.parseDouble(m.group(1)) * 1000;
            String pkg = packageOf(m.group(2));
            if (at <= initEndMs) {
                init++;
                if (m.group(3).contains("shared")) {
                    initShared++;
                }
                initByPackage.merge(pkg, 1, Integer::sum);
            } else if (at >= firstFromMs && at <= firstToMs) {
                first++;
                firstByPackage.merge(pkg, 1, Integer::sum);
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "during init: %d classes (%d from the JDK's CDS archive); top packages: %s%n",
                init, initShared, top(initByPackage, 12)));
        b.append(String.format(Locale.ROOT, "during the first request: %d classes; top packages: %s%n", first,
                top(firstByPackage, 12)));
        return b.toString();
    }

    static String packageOf(String className) {
        String[] parts = className.split("\\.");
        int n = Math.min(3, parts.length - 1);
        return n <= 0 ? className : String.join(".", java.util.Arrays.copyOf(parts, n));
    }

    static String top(Map<String, Integer> counts, int n) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
    }

    interface Col {
        double get(Run run);
    }

    static double[] col(List<Run> runs, Col col) {
        return runs.stream().mapToDouble(col::get).toArray();
    }

    static Map<String, String> parseVariants(String spec) {
        Map<String, String> variants = new LinkedHashMap<>();
        for (String part : spec.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            variants.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return variants;
    }

    /**
     * In a variant's options: the JVM template's JAVA_TOOL_OPTIONS for the Verifik backend ({@code @template}) or the
     * embedded one ({@code @template-embedded}), with /var/task standing for the unzipped function.
     */
    static final String TEMPLATE_OPTIONS = "@template";

    /** What the JVM template deploys for a backend, pointed at the local task root: what is measured is what is deployed. */
    static String templateJavaToolOptions(boolean embedded) {
        return io.cropsearch.testing.JvmTemplateOptions.forBackend(embedded, FunctionProcess.functionDir());
    }

    /** {@code K=V,K=V} (an environment for a variant's function process). */
    static Map<String, String> parseEnv(String spec) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (!part.isBlank()) {
                int eq = part.indexOf('=');
                env.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return env;
    }

    static Run once(String upstream, String body, String javaToolOptions, Map<String, String> env, Path log)
            throws Exception {
        try (RuntimeApiEmulator api = RuntimeApiEmulator.start(15_000)) {
            // The cold event waits in the queue before the environment exists, as on Lambda.
            var first = api.invoke(Evidence.apiGatewayEvent(body, "cold-1"));
            java.util.concurrent.atomic.AtomicReference<FunctionProcess> process = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicLong initCpu = new java.util.concurrent.atomic.AtomicLong(-1);
            api.onPoll(() -> {
                FunctionProcess p = process.get();
                if (p != null && initCpu.get() < 0) {
                    initCpu.set(p.cpuMillis());
                }
            });
            try (FunctionProcess fn = FunctionProcess.start(api.address(), upstream, List.of(), javaToolOptions,
                    env, log)) {
                process.set(fn);
                RuntimeApiEmulator.Result r1 = first.get(120, TimeUnit.SECONDS);
                check(r1, fn);
                long firstCpu = fn.cpuMillis();
                double init = (api.firstPollNanos() - fn.startNanos()) / 1e6;
                double firstHandled = (r1.completedNanos() - fn.startNanos()) / 1e6;
                double firstRequest = (r1.completedNanos() - r1.deliveredNanos()) / 1e6;
                Map<String, String> counters = counters(fn);
                RuntimeApiEmulator.Result r2 = api.invoke(Evidence.apiGatewayEvent(body, "warm-2")).get(60, TimeUnit.SECONDS);
                check(r2, fn);
                RuntimeApiEmulator.Result r = r2;
                for (int i = 3; i <= 10; i++) {
                    r = api.invoke(Evidence.apiGatewayEvent(body, "warm-" + i)).get(60, TimeUnit.SECONDS);
                    check(r, fn);
                }
                long rss = fn.procStatusKb("VmRSS");
                return new Run(init, firstHandled, firstRequest, (r2.completedNanos() - r2.deliveredNanos()) / 1e6,
                        (r.completedNanos() - r.deliveredNanos()) / 1e6, fn.quarkusStartedMillis(), counters, rss,
                        initCpu.get(), firstCpu - initCpu.get());
            }
        }
    }

    static void check(RuntimeApiEmulator.Result r, FunctionProcess fn) {
        int status = Evidence.status(r);
        if (status != 200) {
            throw new IllegalStateException("expected 200, got " + status + " " + r.bodyText() + "\n" + fn.logText());
        }
    }

    /** A few HotSpot perf counters: classes loaded, time spent loading classes, JIT time, GC time. */
    static Map<String, String> counters(FunctionProcess fn) {
        String text = fn.jcmd("PerfCounter.print");
        Map<String, String> raw = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                raw.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim().replace("\"", ""));
            }
        }
        double ticksPerMs = Double.parseDouble(raw.getOrDefault("sun.os.hrt.frequency", "1000000000")) / 1000.0;
        Map<String, String> picked = new LinkedHashMap<>();
        picked.put("java.cls.loadedClasses", raw.getOrDefault("java.cls.loadedClasses", "?"));
        picked.put("java.cls.sharedLoadedClasses", raw.getOrDefault("java.cls.sharedLoadedClasses", "?"));
        for (String key : List.of("sun.cls.time", "sun.cls.appClassLoadTime", "sun.cls.parseClassTime",
                "sun.cls.classInitTime", "sun.cls.classVerifyTime", "sun.classloader.findClassTime", "sun.ci.totalTime",
                "sun.gc.collector.0.time", "sun.gc.collector.1.time")) {
            String v = raw.get(key);
            if (v != null) {
                try {
                    picked.put(key + "Ms", String.format(Locale.ROOT, "%.0f", Long.parseLong(v) / ticksPerMs));
                } catch (NumberFormatException e) {
                    picked.put(key, v);
                }
            }
        }
        return picked;
    }
}
