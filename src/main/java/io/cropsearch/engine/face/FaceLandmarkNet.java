package io.cropsearch.engine.face;

import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.nn.FullyConnected;
import io.cropsearch.engine.nn.Hwc;
import io.cropsearch.engine.nn.ModelWeights;
import io.cropsearch.engine.nn.Planar;
import io.cropsearch.engine.nn.Tensor;

import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * 68 face landmarks, numerically those of face-api.js 0.22.2's {@code FaceLandmark68Net} ({@link #loadFull()}: four
 * {@code denseBlock4}, 32-64-128-256 channels, 7x7 average pool) and {@code FaceLandmark68TinyNet}
 * ({@link #loadTiny()}: three {@code denseBlock3}, 32-64-128 channels, 14x14 average pool), both followed by an fc
 * layer to 136 values, with the weights of @vladmandic/face-api 1.7.15.
 *
 * <p>Input: the face image is padded to a centred square, resized to 112x112, and normalised as
 * {@code (rgb - [122.782, 117.001, 104.298]) / 255} ({@link NetInput}). Output: the fc values are positions in the
 * padded square relative to its side; {@link #detect} undoes the padding as {@code FaceLandmark68NetBase.postProcess}
 * does and scales to the image's pixels as {@code FaceLandmarks68} does.
 *
 * <p>Thread-safe and immutable after load; each call in flight borrows its own scratch (about 6.2 MB for the full net,
 * 4.9 MB for the tiny one, measured as the first call's allocation) from a pool, so memory follows the calls in
 * flight, not the threads that ever called.
 */
public final class FaceLandmarkNet {

    static final int INPUT_SIZE = 112;
    static final int POINTS = 68;
    private static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};
    private static final float INPUT_DIVISOR = 255f; // face-api.js 0.22.2 faceFeatureExtractor: .div(tf.scalar(255))

    private final DenseBlock[] blocks;
    private final int poolSize;
    private final FullyConnected fc;
    private final int[] planeSizes; // per channel, the largest bordered plane of the planar blocks
    private final int hwcSize;      // the largest HWC activation of the other blocks
    private final boolean planarOut4;
    private final ConcurrentLinkedQueue<Workspace> workspaces = new ConcurrentLinkedQueue<>();

    private FaceLandmarkNet(DenseBlock[] blocks, int poolSize, FullyConnected fc) {
        this.blocks = blocks;
        this.poolSize = poolSize;
        this.fc = fc;
        int side = INPUT_SIZE;
        int channels = 3;
        int maxPlanar = 0;
        int hwc = 0;
        boolean planar = true;
        for (DenseBlock b : blocks) {
            if (b.channelsIn() != channels || b.outSide() != (side + 1) / 2 || (b.onPlanes() && !planar)) {
                throw new IllegalStateException("dense blocks do not chain");
            }
            planar = b.onPlanes();
            if (planar) {
                maxPlanar = Math.max(maxPlanar, b.channelsOut());
            } else {
                hwc = Math.max(hwc, Math.max(side * side * channels, b.outSide() * b.outSide() * b.channelsOut()));
            }
            side = b.outSide();
            channels = b.channelsOut();
        }
        if (side != poolSize || fc.inputs() != channels || fc.outputs() != 2 * POINTS) {
            throw new IllegalStateException("features " + side + "x" + side + "x" + channels + " do not fit the "
                    + poolSize + "x" + poolSize + " pool and the fc " + fc.inputs() + " -> " + fc.outputs());
        }
        planeSizes = new int[maxPlanar];
        for (DenseBlock b : blocks) {
            if (b.onPlanes()) {
                int plane = (b.outSide() + 2) * (b.outSide() + 2);
                for (int c = 0; c < b.channelsOut(); c++) {
                    planeSizes[c] = Math.max(planeSizes[c], plane);
                }
            }
        }
        hwcSize = hwc;
        boolean out4 = false;
        for (DenseBlock b : blocks) {
            out4 |= b.onPlanes() && b.hasOut4();
        }
        planarOut4 = out4;
    }

    /** face-api.js {@code FaceLandmark68Net} (weights {@code face_landmark_68_model}, 350 KB). */
    public static FaceLandmarkNet loadFull() {
        Map<String, Tensor> w = ModelWeights.loadBundled("face_landmark_68_model");
        DenseBlock[] blocks = {
            DenseBlock.load(w, "dense0", true, 3, 112),
            DenseBlock.load(w, "dense1", false, 3, 56),
            DenseBlock.load(w, "dense2", false, 3, 28),
            DenseBlock.load(w, "dense3", false, 3, 14),
        };
        return new FaceLandmarkNet(blocks, 7, FullyConnected.load(w, "fc"));
    }

    /** face-api.js {@code FaceLandmark68TinyNet} (weights {@code face_landmark_68_tiny_model}, 75 KB). */
    public static FaceLandmarkNet loadTiny() {
        Map<String, Tensor> w = ModelWeights.loadBundled("face_landmark_68_tiny_model");
        DenseBlock[] blocks = {
            DenseBlock.load(w, "dense0", true, 2, 112),
            DenseBlock.load(w, "dense1", false, 2, 56),
            DenseBlock.load(w, "dense2", false, 2, 28),
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

    /** Scratch of one forward pass. */
    private static final class Workspace {
        final float[][] image = new float[3][INPUT_SIZE * INPUT_SIZE];
        final DenseBlock.PlanesWorkspace planes;
        final DenseBlock.HwcWorkspace hwc;
        final float[] features;

        Workspace(int[] planeSizes, boolean out4, int hwcSize, int features) {
            planes = new DenseBlock.PlanesWorkspace(planeSizes, out4);
            hwc = hwcSize > 0 ? new DenseBlock.HwcWorkspace(hwcSize) : null;
            this.features = new float[features];
        }
    }

    /** The fc layer's 136 outputs (face-api.js {@code runNet}): positions relative to the padded square. */
    float[] forward(Rgb face) {
        Workspace ws = workspaces.poll();
        if (ws == null) {
            ws = new Workspace(planeSizes, planarOut4, hwcSize, fc.inputs());
        }
        try {
            NetInput.toPlanes(face, INPUT_SIZE, true, MEAN_RGB, INPUT_DIVISOR, ws.image);
            float[][] in = ws.image;
            Planar.Geo g = new Planar.Geo(INPUT_SIZE, INPUT_SIZE, 0);
            int side = INPUT_SIZE;
            int channels = 3;
            for (DenseBlock b : blocks) {
                if (b.onPlanes()) {
                    b.applyPlanar(in, g, ws.planes);
                    in = ws.planes.x;
                    g = new Planar.Geo(b.outSide(), b.outSide(), 1);
                } else {
                    if (in != null) {
                        Planar.toHwc(in, g, channels, ws.hwc.x); // leaving the planes for good
                        in = null;
                    }
                    b.applyHwc(side, ws.hwc);
                }
                side = b.outSide();
                channels = b.channelsOut();
            }
            // tf.avgPool(out, [k, k], [2, 2], 'valid') over the k x k map: the mean of each channel
            if (in != null) {
                avgPlanes(in, g, channels, ws.features);
            } else {
                Hwc.avgPool(ws.hwc.x, channels, Hwc.Window.valid(side, side, poolSize, 2), ws.features);
            }
            float[] out = new float[fc.outputs()];
            fc.apply(ws.features, out);
            return out;
        } finally {
            workspaces.offer(ws);
        }
    }

    /** Per channel, the mean of the interior in row-major order, summed in double as tfjs's cpu avgPool does. */
    private static void avgPlanes(float[][] in, Planar.Geo g, int channels, float[] out) {
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int y = 0; y < g.h(); y++) {
                int row = (y + 1) * (g.w() + 2) + 1;
                for (int x = 0; x < g.w(); x++) {
                    sum += in[c][row + x];
                }
            }
            out[c] = (float) (sum / (g.h() * g.w()));
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
