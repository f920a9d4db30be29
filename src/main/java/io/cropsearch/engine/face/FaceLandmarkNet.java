package io.cropsearch.engine.face;

import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.nn.FullyConnected;
import io.cropsearch.engine.nn.Hwc;
import io.cropsearch.engine.nn.ModelWeights;
import io.cropsearch.engine.nn.Tensor;

import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * 68 face landmarks, numerically those of face-api.js 0.22.2's {@code FaceLandmark68Net} ({@link #loadFull()}: four
 * {@code denseBlock4}, 32-64-128-256 channels, 7x7 average pool) and {@code FaceLandmark68TinyNet} ({@link #loadTiny()}:
 * three {@code denseBlock3}, 32-64-128 channels, 14x14 average pool), both followed by an fc layer to 136 values, with
 * the weights of @vladmandic/face-api 1.7.15.
 *
 * <p>Input: the face image is padded to a centred square, resized to 112x112, and normalised as
 * {@code (rgb - [122.782, 117.001, 104.298]) / 255} ({@link SquareInput}). Output: the fc values are positions in the
 * padded square relative to its side; {@link #detect} undoes the padding as {@code FaceLandmark68NetBase.postProcess}
 * does and scales to the image's pixels as {@code FaceLandmarks68} does.
 *
 * <p>Thread-safe and immutable after load; each call in flight borrows its own scratch (about 2.4 MB for the full net,
 * 2 MB for the tiny one) from a pool.
 */
public final class FaceLandmarkNet {

    static final int INPUT_SIZE = 112;
    static final int POINTS = 68;
    private static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};
    private static final float INPUT_DIVISOR = 255f; // face-api.js 0.22.2 faceFeatureExtractor: .div(tf.scalar(255))

    private final DenseBlock[] blocks;
    private final int poolSize;
    private final FullyConnected fc;
    private final int scratchSize;
    private final ConcurrentLinkedQueue<DenseBlock.Workspace> workspaces = new ConcurrentLinkedQueue<>();

    private FaceLandmarkNet(DenseBlock[] blocks, int poolSize, FullyConnected fc) {
        this.blocks = blocks;
        this.poolSize = poolSize;
        this.fc = fc;
        int size = INPUT_SIZE * INPUT_SIZE * 3;
        int side = INPUT_SIZE;
        int channels = 3;
        for (DenseBlock b : blocks) {
            if (b.channelsIn() != channels) {
                throw new IllegalStateException("block expects " + b.channelsIn() + " channels, gets " + channels);
            }
            size = Math.max(size, b.scratchSize(side));
            side = (side + 1) / 2;
            channels = b.channelsOut();
        }
        if (side != poolSize || fc.inputs() != channels || fc.outputs() != 2 * POINTS) {
            throw new IllegalStateException("features " + side + "x" + side + "x" + channels + " do not fit the "
                    + poolSize + "x" + poolSize + " pool and the fc " + fc.inputs() + " -> " + fc.outputs());
        }
        this.scratchSize = size;
    }

    /** face-api.js {@code FaceLandmark68Net} (weights {@code face_landmark_68_model}, 350 KB). */
    public static FaceLandmarkNet loadFull() {
        Map<String, Tensor> w = ModelWeights.loadBundled("face_landmark_68_model");
        DenseBlock[] blocks = {
            DenseBlock.load(w, "dense0", true, 3),
            DenseBlock.load(w, "dense1", false, 3),
            DenseBlock.load(w, "dense2", false, 3),
            DenseBlock.load(w, "dense3", false, 3),
        };
        return new FaceLandmarkNet(blocks, 7, FullyConnected.load(w, "fc"));
    }

    /** face-api.js {@code FaceLandmark68TinyNet} (weights {@code face_landmark_68_tiny_model}, 75 KB). */
    public static FaceLandmarkNet loadTiny() {
        Map<String, Tensor> w = ModelWeights.loadBundled("face_landmark_68_tiny_model");
        DenseBlock[] blocks = {
            DenseBlock.load(w, "dense0", true, 2),
            DenseBlock.load(w, "dense1", false, 2),
            DenseBlock.load(w, "dense2", false, 2),
        };
        return new FaceLandmarkNet(blocks, 14, FullyConnected.load(w, "fc"));
    }

    /**
     * The 68 landmarks of the face filling {@code face} (any size), as face-api.js's
     * {@code net.detectLandmarks(face).positions}: 136 values {@code x0, y0, x1, y1, ...} in {@code face}'s pixels.
     */
    public float[] detect(Rgb face) {
        int w = face.width();
        int h = face.height();
        return toPixels(postProcess(forward(face), INPUT_SIZE, w, h), w, h);
    }

    /** The fc layer's 136 outputs (face-api.js {@code runNet}): positions relative to the padded square. */
    float[] forward(Rgb face) {
        DenseBlock.Workspace ws = workspaces.poll();
        if (ws == null) {
            ws = new DenseBlock.Workspace(scratchSize);
        }
        try {
            SquareInput.toHwc(face, INPUT_SIZE, MEAN_RGB, INPUT_DIVISOR, ws.x);
            int side = INPUT_SIZE;
            for (DenseBlock b : blocks) {
                side = b.apply(side, ws);
            }
            // tf.avgPool(out, [k, k], [2, 2], 'valid') over a k x k map: one value per channel
            float[] features = new float[fc.inputs()];
            Hwc.avgPool(ws.x, fc.inputs(), Hwc.Window.valid(side, side, poolSize, 2), features);
            float[] out = new float[fc.outputs()];
            fc.apply(features, out);
            return out;
        } finally {
            workspaces.offer(ws);
        }
    }

    /**
     * {@code FaceLandmark68NetBase.postProcess} for one image: the fc outputs (relative to the padded square of side
     * {@code inputSize}) become positions relative to the image (0..1 across its width and height), in float32 tensor
     * steps as tfjs computes them: times the input size, minus the padding of the short side, divided by the image
     * size scaled to the input size.
     */
    static float[] postProcess(float[] raw, int inputSize, int width, int height) {
        double scale = (double) inputSize / Math.max(height, width);
        double w = width * scale;
        double h = height * scale;
        float padX = (float) (w < h ? Math.abs(w - h) / 2 : 0);
        float padY = (float) (h < w ? Math.abs(w - h) / 2 : 0);
        float fw = (float) w;
        float fh = (float) h;
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i += 2) {
            out[i] = (raw[i] * inputSize - padX) / fw;
            out[i + 1] = (raw[i + 1] * inputSize - padY) / fh;
        }
        return out;
    }

    /** {@code FaceLandmarks}' constructor: relative points times the image size (in double, as JavaScript numbers). */
    static float[] toPixels(float[] relative, int width, int height) {
        float[] out = new float[relative.length];
        for (int i = 0; i < relative.length; i += 2) {
            out[i] = (float) ((double) relative[i] * width);
            out[i + 1] = (float) ((double) relative[i + 1] * height);
        }
        return out;
    }
}
