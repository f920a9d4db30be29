package io.cropsearch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Helpers for test servers that run as their own processes. A server's pid and port are kept in JVM-wide system
 * properties rather than static fields: Quarkus loads test resources once per application class loader, and a static
 * field would start a second server for every test profile. Processes end with the test JVM (shutdown hook).
 */
final class ServerProcesses {

    private ServerProcesses() {
    }

    /** Points a Quarkiverse AWS client ({@code dynamodb}, {@code s3}) at a local server with its dummy identity. */
    static java.util.Map<String, String> clientConfig(String service, String endpoint) {
        java.util.Map<String, String> config = new java.util.HashMap<>();
        config.put("quarkus." + service + ".endpoint-override", endpoint);
        config.put("quarkus." + service + ".aws.region", DynaliteServer.REGION);
        config.put("quarkus." + service + ".aws.credentials.type", "static");
        config.put("quarkus." + service + ".aws.credentials.static-provider.access-key-id", "test");
        config.put("quarkus." + service + ".aws.credentials.static-provider.secret-access-key", "test");
        return config;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port of a live server recorded under {@code name}, if one is running. */
    static Optional<Integer> running(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            return Optional.empty();
        }
        String[] pidAndPort = value.split(":");
        boolean alive = ProcessHandle.of(Long.parseLong(pidAndPort[0])).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Optional.of(Integer.parseInt(pidAndPort[1])) : Optional.empty();
    }

    /** The port last used under {@code name}, alive or not: a restarted server keeps its endpoint. */
    static Optional<Integer> lastPort(String name) {
        String value = System.getProperty(name);
        return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value.split(":")[1]));
    }

    static Process start(String name, int port, List<String> command, Path workDir, Path log) {
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            ProcessHandle handle = process.toHandle();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> destroy(handle)));
            System.setProperty(name, process.pid() + ":" + port);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    static void kill(String name) {
        String value = System.getProperty(name);
        if (value != null) {
            ProcessHandle.of(Long.parseLong(value.split(":")[0])).ifPresent(ServerProcesses::destroy);
        }
    }

    private static void destroy(ProcessHandle handle) {
        handle.descendants().forEach(ProcessHandle::destroy);
        handle.destroy();
        try {
            handle.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
    }

    /** Waits until {@code url} answers HTTP at all (any status), failing early if the process died. */
    static void awaitHttp(String url, Process process, Duration timeout, Path log) {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("test server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
                connection.setConnectTimeout(200);
                connection.setReadTimeout(1000);
                connection.getResponseCode();
                connection.disconnect();
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IllegalStateException("test server not ready after " + timeout + "; see " + log);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
