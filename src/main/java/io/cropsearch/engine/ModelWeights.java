package io.cropsearch.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a TensorFlow.js weights manifest and its binary shard(s): tensors follow each other in manifest order,
 * either raw little-endian float32 or uint8 dequantised as {@code q * scale + min}.
 */
final class ModelWeights {

    static final String RESOURCE_DIR = "/engine/";
    static final String MODEL = "face_recognition_model";

    private ModelWeights() {
    }

    /** The face recognition weights shipped in this jar. */
    static Map<String, Tensor> loadBundled() {
        String manifest = new String(readResource(RESOURCE_DIR + MODEL + "-weights_manifest.json"), StandardCharsets.UTF_8);
        return parse(manifest, name -> readResource(RESOURCE_DIR + name));
    }

    interface ShardSource {
        byte[] read(String path);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Tensor> parse(String manifestJson, ShardSource shards) {
        List<Object> groups = (List<Object>) MiniJson.parse(manifestJson);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Object g : groups) {
            Map<String, Object> group = (Map<String, Object>) g;
            ByteBuffer data = concat((List<Object>) group.get("paths"), shards);
            for (Object w : (List<Object>) group.get("weights")) {
                Tensor t = readTensor((Map<String, Object>) w, data);
                out.put(t.name(), t);
            }
            if (data.hasRemaining()) {
                throw new IllegalStateException(data.remaining() + " bytes left over after the last tensor");
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Tensor readTensor(Map<String, Object> w, ByteBuffer data) {
        String name = (String) w.get("name");
        List<Object> dims = (List<Object>) w.get("shape");
        int[] shape = new int[dims.size()];
        int n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = ((Double) dims.get(i)).intValue();
            n *= shape[i];
        }
        if (!"float32".equals(w.get("dtype"))) {
            throw new IllegalStateException(name + ": unsupported dtype " + w.get("dtype"));
        }
        float[] values = new float[n];
        Map<String, Object> q = (Map<String, Object>) w.get("quantization");
        if (q == null) {
            for (int i = 0; i < n; i++) {
                values[i] = data.getFloat();
            }
        } else {
            if (!"uint8".equals(q.get("dtype"))) {
                throw new IllegalStateException(name + ": unsupported quantisation " + q.get("dtype"));
            }
            // Computed in double and rounded once, as tf.io.decodeWeights does in JavaScript.
            double scale = (Double) q.get("scale");
            double min = (Double) q.get("min");
            for (int i = 0; i < n; i++) {
                values[i] = (float) ((data.get() & 0xFF) * scale + min);
            }
        }
        return new Tensor(name, shape, values);
    }

    private static ByteBuffer concat(List<Object> paths, ShardSource shards) {
        byte[][] parts = new byte[paths.size()][];
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = shards.read((String) paths.get(i));
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
