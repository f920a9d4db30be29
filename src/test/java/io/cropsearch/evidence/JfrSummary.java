package io.cropsearch.evidence;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Summarises a JFR recording's execution samples ({@code jdk.ExecutionSample}, Java code on CPU): samples per thread,
 * the hottest top frames, and inclusive shares of named phases (a sample counts for a phase when any frame of its stack
 * matches). Usage: {@code JfrSummary <file.jfr> [top-n]}.
 */
public final class JfrSummary {

    /** Phases worth naming on this function's paths, matched against "class.method" of every frame. */
    static final Map<String, List<String>> PHASES = new LinkedHashMap<>();

    static {
        PHASES.put("class loading/definition", List.of("java.lang.ClassLoader.loadClass", "java.lang.ClassLoader.defineClass",
                "jdk.internal.loader.BuiltinClassLoader.loadClass", "java.net.URLClassLoader.findClass"));
        PHASES.put("static initialisers (<clinit>)", List.of(".<clinit>"));
        PHASES.put("Quarkus static init (manualInitialize)", List.of("io.quarkus.runtime.Quarkus.manualInitialize"));
        PHASES.put("Quarkus runtime start (manualStart)", List.of("io.quarkus.runtime.Quarkus.manualStart"));
        PHASES.put("config (SmallRye Config)", List.of("io.smallrye.config."));
        PHASES.put("CDI container (ArC)", List.of("io.quarkus.arc."));
        PHASES.put("Vert.x / Netty", List.of("io.vertx.", "io.netty."));
        PHASES.put("RESTEasy Reactive server", List.of("org.jboss.resteasy.reactive.server."));
        PHASES.put("REST client", List.of("org.jboss.resteasy.reactive.client.", "io.quarkus.rest.client."));
        PHASES.put("Jackson", List.of("com.fasterxml.jackson."));
        PHASES.put("Lambda event handling (Quarkus)", List.of("io.quarkus.amazon.lambda."));
        PHASES.put("runtime interface client", List.of("com.amazonaws.services.lambda.runtime.api.client."));
        PHASES.put("request validation (CropSearchValidator)", List.of("io.cropsearch.validation.CropSearchValidator.validateJson"));
        PHASES.put("  image header parse (metadata-extractor)", List.of("com.drew."));
        PHASES.put("  Hibernate Validator", List.of("org.hibernate.validator."));
        PHASES.put("upstream search (VerifikSearchBackend)", List.of("io.cropsearch.search.verifik.VerifikSearchBackend.search"));
        PHASES.put("fault tolerance (SmallRye)", List.of("io.smallrye.faulttolerance."));
        PHASES.put("logging (JBoss LogManager)", List.of("org.jboss.logmanager."));
        PHASES.put("JFR itself", List.of("jdk.jfr."));
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        System.out.print(summarise(file, top));
    }

    public static String summarise(Path file, int top) throws Exception {
        return summarise(file, top, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Only samples taken between the two wall-clock instants (epoch ms). */
    public static String summarise(Path file, int top, long fromEpochMs, long toEpochMs) throws Exception {
        Map<String, Integer> byTopFrame = new HashMap<>();
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> byPhase = new LinkedHashMap<>();
        PHASES.keySet().forEach(k -> byPhase.put(k, 0));
        int total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            long at = event.getStartTime().toEpochMilli();
            if (at < fromEpochMs || at > toEpochMs) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            total++;
            String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
            byThread.merge(thread == null ? "?" : thread.replaceAll("[0-9]+", "N"), 1, Integer::sum);
            RecordedFrame topFrame = stack.getFrames().get(0);
            byTopFrame.merge(name(topFrame), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : stack.getFrames()) {
                String n = name(frame);
                for (var phase : PHASES.entrySet()) {
                    if (!seen.contains(phase.getKey()) && phase.getValue().stream().anyMatch(n::contains)) {
                        seen.add(phase.getKey());
                    }
                }
            }
            seen.forEach(k -> byPhase.merge(k, 1, Integer::sum));
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "execution samples: %d (%s)%n", total, file.getFileName()));
        if (total == 0) {
            return out.toString();
        }
        final int all = total;
        out.append("by thread:\n");
        byThread.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(8)
                .forEach(e -> out.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / all, e.getKey())));
        out.append("inclusive, by phase (a sample may count for several):\n");
        byPhase.forEach((k, v) -> {
            if (v > 0) {
                out.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * v / all, k));
            }
        });
        out.append("hottest top frames:\n");
        byTopFrame.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / all, e.getKey())));
        return out.toString();
    }

    private static String name(RecordedFrame frame) {
        if (frame.getMethod() == null) {
            return "?";
        }
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
