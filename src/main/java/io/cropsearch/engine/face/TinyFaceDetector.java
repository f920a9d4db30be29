package io.cropsearch.engine.face;

import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.nn.Hwc;
import io.cropsearch.engine.nn.ModelWeights;
import io.cropsearch.engine.nn.Planes;
import io.cropsearch.engine.nn.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * face-api.js 0.22.2's {@code TinyFaceDetector}: a tiny YOLO v2 with depthwise-separable convolutions
 * ({@code TinyYolov2Base.runMobilenet} with {@code isFirstLayerConv2d}), weights {@code tiny_face_detector_model}
 * of @vladmandic/face-api 1.7.15 (the same values face-api.js ships). Immutable after {@link #load()}, so one instance
 * serves any number of threads; every call allocates its own activations.
 *
 * <p>Network: 3x3 conv 3 -> 16 (VALID) + leaky, then five times 2x2/2 max pool + separable block (pad 1, 3x3
 * depthwise, 1x1 pointwise, bias, leaky) up to 512 channels, a 2x2 max pool of stride 1, then a 1x1 conv to 5 anchors
 * x (x, y, w, h, score). The grid has {@code inputSize / 32} cells a side.
 */
public final class TinyFaceDetector {

    /** {@code MEAN_RGB} of face-api.js's tinyFaceDetector/const, as the float32 tensor it fills. */
    private static final float[] MEAN_RGB = {117.001f, 114.697f, 97.404f};

    private static final int[] CHANNELS = {16, 32, 64, 128, 256, 512};

    private final float[][] conv0;
    private final float[] conv0Bias;
    private final float[][][] depthwise = new float[5][][];
    private final float[][][] pointwise = new float[5][][];
    private final float[][] separableBias = new float[5][];
    private final float[][] conv8;
    private final float[] conv8Bias;

    private TinyFaceDetector(Map<String, Tensor> w) {
        conv0 = Hwc.rows(values(w, "conv0/filters", 3, 3, 3, 16), 27, 16);
        conv0Bias = values(w, "conv0/bias", 16);
        for (int i = 0; i < 5; i++) {
            int cin = CHANNELS[i];
            int cout = CHANNELS[i + 1];
            String p = "conv" + (i + 1) + "/";
            depthwise[i] = Hwc.rows(values(w, p + "depthwise_filter", 3, 3, cin, 1), 9, cin);
            pointwise[i] = Hwc.rows(values(w, p + "pointwise_filter", 1, 1, cin, cout), cin, cout);
            separableBias[i] = values(w, p + "bias", cout);
        }
        int out = TinyYoloBoxes.ANCHORS * TinyYoloBoxes.ENCODING;
        conv8 = Hwc.rows(values(w, "conv8/filters", 1, 1, 512, out), 512, out);
        conv8Bias = values(w, "conv8/bias", out);
    }

    /** Reads the bundled weights (about 190 KB). */
    public static TinyFaceDetector load() {
        return new TinyFaceDetector(ModelWeights.loadBundled("tiny_face_detector_model"));
    }

    /**
     * The faces in {@code image} as {@code faceapi.detectAllFaces(image, new TinyFaceDetectorOptions({inputSize,
     * scoreThreshold}))} returns them: boxes in pixels of {@code image} (not clipped), best score first, overlapping
     * boxes (IOU above 0.4) suppressed.
     *
     * @param inputSize the side the image is scaled to (after padding it to a square at the right or bottom); a
     *     multiple of 32, e.g. 128, 160, 224, 320, 416 (face-api.js's default), 512, 608. Smaller is faster and finds
     *     larger faces.
     * @param scoreThreshold keep boxes scoring above this, strictly between 0 and 1 (face-api.js's default 0.5)
     */
    public List<FaceBox> detect(Rgb image, int inputSize, float scoreThreshold) {
        if (inputSize <= 0 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("inputSize must be a positive multiple of 32, got " + inputSize);
        }
        if (!(scoreThreshold > 0 && scoreThreshold < 1)) {
            throw new IllegalArgumentException("scoreThreshold must be between 0 and 1, got " + scoreThreshold);
        }
        float[] grid = forward(input(image, inputSize), inputSize);
        // face-api.js compares with the decimal the caller wrote (0.3 is a double there): take the float's shortest
        // decimal, not its binary value widened (0.3f is 0.30000001192...)
        double threshold = Double.parseDouble(Float.toString(scoreThreshold));
        return TinyYoloBoxes.decode(grid, cells(inputSize), inputSize, threshold, image.width(), image.height());
    }

    /**
     * {@code TinyYolov2Base.forwardInput}: padded to a square at the right or bottom (not centred), resized, the
     * detector's {@code MEAN_RGB} subtracted and divided by 256 ({@link NetInput}).
     */
    private static float[][] input(Rgb image, int inputSize) {
        float[][] planes = new float[3][inputSize * inputSize];
        NetInput.toPlanes(image, inputSize, false, MEAN_RGB, 256f, planes);
        return planes;
    }

    /** Output grid side for an input size: VALID 3x3 conv, five 'same' pools of stride 2. */
    static int cells(int inputSize) {
        int s = inputSize - 2;
        for (int i = 0; i < 5; i++) {
            s = (s + 1) / 2;
        }
        return s;
    }

    /** The raw network output, HWC {@code cells x cells x 25}, before any decoding (for the reference test). */
    float[] rawOutput(Rgb image, int inputSize) {
        return forward(input(image, inputSize), inputSize);
    }

    /**
     * The network on planar activations ({@link Planes}: few channels at high resolution, so the loops run along
     * pixel rows), returned as HWC like the tfjs tensor.
     */
    private float[] forward(float[][] input, int inputSize) {
        int side = inputSize - 2;
        float[][] x = Planes.alloc(16, side * side);
        Planes.convValid(input, inputSize, inputSize, 3, conv0, 16, conv0Bias, true, x);
        for (int i = 0; i < 5; i++) {
            int c = CHANNELS[i];
            int cout = CHANNELS[i + 1];
            int pooled = (side + 1) / 2;
            float[][] p = Planes.alloc(c, pooled * pooled);
            Planes.maxPool2x2(x, side, side, 2, p);
            side = pooled;
            // tf.pad by 1 then a VALID 3x3 depthwise, i.e. 'same' with stride 1
            float[][] d = Planes.alloc(c, side * side);
            Planes.depthwise3x3(p, side, side, depthwise[i], d);
            x = Planes.alloc(cout, side * side);
            Planes.pointwise(d, side * side, pointwise[i], cout, separableBias[i], true, x);
        }
        float[][] p = Planes.alloc(512, side * side);
        Planes.maxPool2x2(x, side, side, 1, p);
        int out = TinyYoloBoxes.ANCHORS * TinyYoloBoxes.ENCODING;
        float[][] grid = Planes.alloc(out, side * side);
        Planes.pointwise(p, side * side, conv8, out, conv8Bias, false, grid);
        return Planes.toHwc(grid, side * side);
    }

    private static float[] values(Map<String, Tensor> weights, String name, int... shape) {
        Tensor t = weights.get(name);
        if (t == null) {
            throw new IllegalStateException("tiny_face_detector_model has no tensor " + name);
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalStateException(name + ": shape " + Arrays.toString(t.shape()) + ", expected "
                    + Arrays.toString(shape));
        }
        return t.values();
    }
}
