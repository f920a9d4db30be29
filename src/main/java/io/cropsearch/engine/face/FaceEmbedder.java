package io.cropsearch.engine.face;

import io.cropsearch.engine.codec.ImageDecoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.nn.ModelWeights;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * 128-d face descriptors, numerically the ones face-api.js 0.22.2 computes (its {@code FaceRecognitionNet} with the
 * weights of @vladmandic/face-api 1.7.15), in pure Java. Compare descriptors by Euclidean distance; face-api.js treats
 * below 0.6 as the same person. Descriptors are not L2-normalised.
 *
 * <p>Thread-safe. The weights (about 22 MB as floats) are read once; {@link #shared()} gives the process-wide instance.
 * Each concurrent call borrows a ~4.1 MB scratch workspace from a pool, so memory follows the number of calls in
 * flight, not the number of threads that ever called (virtual threads would make a ThreadLocal grow without bound).
 */
public final class FaceEmbedder {

    public static final int DIMENSIONS = FaceRecognitionNet.DESCRIPTOR_SIZE;

    private final FaceRecognitionNet net;
    private final ConcurrentLinkedQueue<FaceRecognitionNet.Workspace> workspaces = new ConcurrentLinkedQueue<>();

    private FaceEmbedder(FaceRecognitionNet net) {
        this.net = net;
    }

    private static final class Holder {
        static final FaceEmbedder INSTANCE = load();
    }

    /** The process-wide embedder, loaded on first use (a few hundred ms). */
    public static FaceEmbedder shared() {
        return Holder.INSTANCE;
    }

    /** A new embedder from the weights bundled under {@code /engine/} on the classpath. */
    public static FaceEmbedder load() {
        return new FaceEmbedder(new FaceRecognitionNet(ModelWeights.loadBundled("face_recognition_model")));
    }

    /**
     * The descriptor of a face crop given as JPEG or PNG bytes.
     *
     * @throws ImageDecodeException when the bytes are not a supported image
     */
    public float[] embed(byte[] imageBytes) {
        return embed(ImageDecoder.decode(imageBytes));
    }

    /** The descriptor of a face crop: the whole image is the face (any size; it is padded square and resized). */
    public float[] embed(Rgb image) {
        FaceRecognitionNet.Workspace ws = workspaces.poll();
        if (ws == null) {
            ws = new FaceRecognitionNet.Workspace();
        }
        try {
            return net.forward(image, ws);
        } finally {
            workspaces.offer(ws);
        }
    }

    /**
     * Runs a few descriptors on a synthetic image so the JIT has compiled the hot loops before the first real
     * request (the first calls run several times slower). Call it at start-up, off the request path.
     */
    public void warmUp(int iterations) {
        byte[] px = new byte[120 * 120 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31 + (i / 360) * 7); // non-constant, so ReLU outputs are not all zero
        }
        Rgb img = new Rgb(120, 120, px);
        for (int i = 0; i < iterations; i++) {
            embed(img);
        }
    }

    /** Euclidean distance, the measure the model was trained for. */
    public static float distance(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("descriptor lengths differ: " + a.length + " vs " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return (float) Math.sqrt(sum);
    }
}
