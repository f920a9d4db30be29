package io.cropsearch.engine.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a TensorFlow.js weights manifest and its binary shard(s): tensors follow each other in manifest order,
 * either raw little-endian float32 or uint8 dequantised as {@code q * scale + min}.
 */
public final class ModelWeights {

    /** Where the bundled models live on the classpath (copied unchanged from @vladmandic/face-api 1.7.15 model/). */
    public static final String RESOURCE_DIR = "/engine/";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The JDK's own logging (no logging library in the engine); Quarkus routes it to the function's log. */
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ModelWeights.class.getName());

    private ModelWeights() {
    }

    /** The weights of one model shipped in this jar, e.g. {@code face_recognition_model}. */
    public static Map<String, Tensor> loadBundled(String model) {
        long started = System.nanoTime();
        byte[] manifest = readResource(RESOURCE_DIR + model + "-weights_manifest.json");
        Map<String, Tensor> weights = parse(manifest, name -> readResource(RESOURCE_DIR + name));
        // One line per net a process reads: which nets a function holds in memory, and what reading them cost.
        LOG.info(String.format("face engine: %s weights read in %d ms", model, (System.nanoTime() - started) / 1_000_000));
        return weights;
    }

    public interface ShardSource {
        byte[] read(String path);
    }

    public static Map<String, Tensor> parse(byte[] manifestJson, ShardSource shards) {
        JsonNode groups;
        try {
            // A tree, not data binding: nothing reflective for a native image to register.
            groups = JSON.readTree(manifestJson);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable weights manifest", e);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (JsonNode group : groups) {
            List<String> paths = new ArrayList<>();
            group.get("paths").forEach(p -> paths.add(p.asText()));
            ByteBuffer data = concat(paths, shards);
            for (JsonNode w : group.get("weights")) {
                Tensor t = readTensor(w, data);
                out.put(t.name(), t);
            }
            if (data.hasRemaining()) {
                throw new IllegalStateException(data.remaining() + " bytes left over after the last tensor");
            }
        }
        return out;
    }

    private static Tensor readTensor(JsonNode w, ByteBuffer data) {
        String name = w.get("name").asText();
        JsonNode dims = w.get("shape");
        int[] shape = new int[dims.size()];
        int n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).asInt();
            n *= shape[i];
        }
        if (!"float32".equals(w.path("dtype").asText())) {
            throw new IllegalStateException(name + ": unsupported dtype " + w.path("dtype").asText());
        }
        float[] values = new float[n];
        JsonNode q = w.get("quantization");
        if (q == null) {
            for (int i = 0; i < n; i++) {
                values[i] = data.getFloat();
            }
        } else {
            if (!"uint8".equals(q.path("dtype").asText())) {
                throw new IllegalStateException(name + ": unsupported quantisation " + q.path("dtype").asText());
            }
            // Computed in double and rounded once, as tf.io.decodeWeights does in JavaScript.
            double scale = q.get("scale").asDouble();
            double min = q.get("min").asDouble();
            for (int i = 0; i < n; i++) {
                values[i] = (float) ((data.get() & 0xFF) * scale + min);
            }
        }
        return new Tensor(name, shape, values);
    }

    private static ByteBuffer concat(List<String> paths, ShardSource shards) {
        byte[][] parts = new byte[paths.size()][];
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = shards.read(paths.get(i));
            total += parts[i].length;
        }
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.flip();
    }

    private static byte[] readResource(String path) {
        try (InputStream in = ModelWeights.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
    }
}
