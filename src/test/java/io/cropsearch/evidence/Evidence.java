package io.cropsearch.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** Shared pieces of the evidence harnesses: the upstream stub, the sample crop, events, statistics, conditions. */
public final class Evidence {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String PATH = "/v2/face-recognition/search/crops";
    public static final String TOKEN = "tok-evidence-not-a-real-token";

    /** A successful upstream answer in the contract's shape (as in the reference document). */
    public static final String UPSTREAM_OK = "{\"id\":\"SC01\",\"data\":[{\"id\":\"person_id\",\"name\":\"John Doe\","
            + "\"score\":0.91,\"thumbnails\":[{\"id\":\"thumb_id\",\"thumbnail\":\"aGVsbG8=\"}]}],"
            + "\"signature\":{\"message\":\"Certified by Verifik.co\",\"dateTime\":\"January 16, 2024 3:44 PM\"}}";

    private Evidence() {
    }

    /** WireMock on a free loopback port, quiet, without a request journal (a long run would fill the heap). */
    public static WireMockServer startStub() {
        WireMockServer server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(96)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(16)
                .disableRequestJournal()
                .notifier(new ConsoleNotifier(false)));
        server.start();
        return server;
    }

    /**
     * A real baseline JPEG face-crop-sized image (224x224, quality 0.9) with photo-like entropy: smooth skin-toned
     * gradients plus sensor-like noise, so that it compresses like a photo crop (about 20-30 KB), not like a flat
     * drawing. Deterministic (fixed seed). If {@code evidence.image} names a file, that file is used instead.
     */
    public static byte[] sampleCrop() {
        String file = System.getProperty("evidence.image", "");
        if (!file.isBlank()) {
            try {
                return Files.readAllBytes(Path.of(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        int size = 224;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = (x - size / 2.0) / (size / 2.6);
                double dy = (y - size / 2.2) / (size / 2.0);
                double face = Math.max(0, 1 - dx * dx - dy * dy);
                int noise = (int) (random.nextGaussian() * 9);
                int r = clamp((int) (90 + 130 * face) + noise);
                int g = clamp((int) (70 + 100 * face) + noise);
                int b = clamp((int) (60 + 80 * face) + noise);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, null), param);
            }
            writer.dispose();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** The caller's JSON body: one crop, FAST (or the given mode). */
    public static String requestBody(byte[] jpeg, String mode) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("images").add(Base64.getEncoder().encodeToString(jpeg));
        // evidence.collection="" leaves it out: the embedded backend then searches its whole gallery.
        String collection = System.getProperty("evidence.collection", "col-123");
        if (!collection.isEmpty()) {
            body.put("collection_id", collection);
        }
        body.put("min_score", 0.7);
        body.put("search_mode", mode);
        body.put("max_results", 10);
        return body.toString();
    }

    /** What the function sends upstream for {@link #requestBody}: the same fields, in the record's order. */
    public static String upstreamBody(byte[] jpeg, String mode) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("images").add(Base64.getEncoder().encodeToString(jpeg));
        body.put("collection_id", "col-123");
        body.put("max_results", 10);
        body.put("min_score", 0.7);
        body.put("search_mode", mode);
        return body.toString();
    }

    /** An API Gateway HTTP API (payload 2.0) event, the one the test suite delivers too. */
    public static byte[] apiGatewayEvent(String body, String requestId) {
        return io.cropsearch.testing.LambdaEvents.apiGatewaySearch(body, false, "Bearer " + TOKEN, requestId)
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The HTTP status inside an API Gateway response the function returned; -1 for a Lambda error. */
    public static int status(RuntimeApiEmulator.Result result) {
        if (result.error()) {
            return -1;
        }
        try {
            JsonNode node = JSON.readTree(result.body());
            return node.path("statusCode").asInt(-2);
        } catch (IOException e) {
            return -2;
        }
    }

    /** The {@code code} of an error body inside an API Gateway response, or "". */
    public static String errorCode(RuntimeApiEmulator.Result result) {
        try {
            JsonNode node = JSON.readTree(result.body());
            String body = node.path("body").asText("");
            if (node.path("isBase64Encoded").asBoolean()) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            JsonNode parsed = JSON.readTree(body);
            return parsed == null ? "" : parsed.path("code").asText("") + "/" + parsed.path("message").asText("");
        } catch (IOException | IllegalArgumentException e) {
            return "";
        }
    }

    /** Percentile summary of latencies in nanoseconds. */
    public record Stats(int n, double min, double p50, double p90, double p99, double p999, double max, double mean) {
        public static Stats of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            double sum = 0;
            for (long v : sorted) {
                sum += v;
            }
            return new Stats(sorted.length, ms(sorted[0]), ms(pct(sorted, 50)), ms(pct(sorted, 90)), ms(pct(sorted, 99)),
                    ms(pct(sorted, 99.9)), ms(sorted[sorted.length - 1]), sum / sorted.length / 1e6);
        }

        /** Nearest-rank percentile. */
        static long pct(long[] sorted, double p) {
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "n=%d min=%.2f p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f mean=%.2f ms",
                    n, min, p50, p90, p99, p999, max, mean);
        }
    }

    /** Median, min and max of a few repeated figures. */
    public static String mmm(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return String.format(Locale.ROOT, "median %.0f ms (min %.0f, max %.0f, n=%d)", median, sorted[0],
                sorted[sorted.length - 1], sorted.length);
    }

    /** The machine's conditions at this moment: cores, load average, JDK. */
    public static String conditions() {
        String load;
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            load = "?";
        }
        return String.format(Locale.ROOT, "cores=%d loadavg=[%s] harness-jdk=%s %s", Runtime.getRuntime().availableProcessors(),
                load, System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"));
    }

    public static int intProp(String name, int def) {
        return Integer.parseInt(System.getProperty(name, Integer.toString(def)));
    }

    public static String prop(String name, String def) {
        return System.getProperty(name, def);
    }
}
