package io.cropsearch.evidence;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * N emulated Lambda execution environments (N function processes, each run by the real runtime interface client)
 * polling one {@link RuntimeApiEmulator}. Each environment takes one event at a time, as on Lambda, so N is the
 * function's concurrency.
 */
public final class Fleet implements AutoCloseable {
    final RuntimeApiEmulator api;
    final List<FunctionProcess> environments = new ArrayList<>();

    private Fleet(RuntimeApiEmulator api) {
        this.api = api;
    }

    public static Fleet start(int n, String upstream, String javaToolOptions, Map<String, String> env, Path logs,
                              long functionTimeoutMillis) throws Exception {
        Fleet fleet = new Fleet(RuntimeApiEmulator.start(functionTimeoutMillis));
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                fleet.environments.add(FunctionProcess.start(fleet.api.address(), upstream, jniFlag(), javaToolOptions,
                        env, logs.resolve("env-" + i + ".log")));
            }
            if (!fleet.api.awaitPolls(n, 300_000)) {
                throw new IllegalStateException("only " + fleet.api.polls() + " of " + n + " environments started; see "
                        + logs);
            }
            System.out.printf(Locale.ROOT, "# %d environments ready in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            return fleet;
        } catch (Exception e) {
            fleet.close();
            throw e;
        }
    }

    /**
     * The runtime interface client unpacks its JNI library to the fixed path /tmp/.libaws-lambda-jni.so; processes
     * starting together on one machine overwrite each other's copy and crash (on Lambda every environment has its own
     * /tmp). The client's documented property points them all at one pre-extracted copy instead.
     */
    static List<String> jniFlag() {
        String jni = System.getProperty("evidence.ric.jni", "");
        return jni.isBlank() ? List.of()
                : List.of("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + jni);
    }

    public RuntimeApiEmulator api() {
        return api;
    }

    public List<FunctionProcess> environments() {
        return environments;
    }

    /** VmRSS of every environment, with min / median / max / sum, in MB. */
    public String rssSummary(String key) {
        long[] kb = environments.stream().mapToLong(f -> f.procStatusKb(key)).toArray();
        Arrays.sort(kb);
        long sum = Arrays.stream(kb).sum();
        return String.format(Locale.ROOT, "%s per environment: min %d MB, median %d MB, max %d MB (sum %d MB over %d)",
                key, kb[0] / 1024, kb[kb.length / 2] / 1024, kb[kb.length - 1] / 1024, sum / 1024, kb.length);
    }

    @Override
    public void close() {
        // Stop them all first, then wait: faster than one by one.
        environments.parallelStream().forEach(FunctionProcess::close);
        api.close();
    }
}
