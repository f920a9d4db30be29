import io.cropsearch.engine.nn.ModelWeights;
import io.cropsearch.engine.nn.Tensor;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * What the engine's weights cost a native image either way (docs/DEPLOY.md, "Weights: image heap or run time"): their
 * size as float arrays (what the image heap would hold) and deflated (what the zip would carry more), the resources'
 * size, and the CPU time of loading them at run time, in a fresh JVM and once compiled. CPU time of the loading thread,
 * not wall time: the shared machine's load inflates wall times several-fold. Run by tools/native/weights-cost.sh.
 */
public class WeightsCost {
    private static final String[] MODELS = {"tiny_face_detector_model", "face_landmark_68_tiny_model",
            "face_landmark_68_model", "face_recognition_model"};

    public static void main(String[] args) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        List<Map<String, Tensor>> all = new ArrayList<>();
        for (String model : MODELS) {
            all.add(ModelWeights.loadBundled(model));
        }
        long first = mx.getCurrentThreadCpuTime() - c0;
        for (int i = 0; i < 3; i++) { // let the JIT compile the loading loops, as a native executable has them from the start
            for (String model : MODELS) {
                ModelWeights.loadBundled(model);
            }
        }
        long c1 = mx.getCurrentThreadCpuTime();
        for (String model : MODELS) {
            ModelWeights.loadBundled(model);
        }
        long compiled = mx.getCurrentThreadCpuTime() - c1;

        long floats = 0;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (Map<String, Tensor> weights : all) {
            for (Tensor t : weights.values()) {
                floats += t.values().length;
                ByteBuffer b = ByteBuffer.allocate(t.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(t.values());
                raw.write(b.array());
            }
        }
        ByteArrayOutputStream resources = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith("LICENSE")).sorted().toList()) {
                resources.write(Files.readAllBytes(f));
            }
        }
        System.out.printf("weights: %,d floats = %.1f MiB as float[]; deflated (level 9) %.1f MiB%n",
                floats, floats * 4 / 1048576.0, deflated(raw.toByteArray()) / 1048576.0);
        System.out.printf("resources (manifests and shards): %.1f MiB; deflated %.1f MiB%n",
                resources.size() / 1048576.0, deflated(resources.toByteArray()) / 1048576.0);
        System.out.printf("loading all four nets, CPU ms of the loading thread: %.0f in a fresh JVM, %.0f once compiled%n",
                first / 1e6, compiled / 1e6);
    }

    private static int deflated(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(9))) {
            z.write(bytes);
        }
        return out.size();
    }
}
