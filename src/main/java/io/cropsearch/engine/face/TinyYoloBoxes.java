package io.cropsearch.engine.face;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the tiny face detector's output grid into boxes the way face-api.js 0.22.2 does
 * ({@code TinyYolov2Base.extractBoxes}, {@code detect}, {@code ops/nonMaxSuppression}, {@code ObjectDetection},
 * {@code TinyFaceDetector.locateFaces}), in double like the JavaScript: sigmoid of the score and of the centre offsets,
 * exp of the size times the anchor, relative to the image through the "reshaped" input dimensions, non-max
 * suppression on boxes scaled by the input size, then relative to pixels of the image. No clipping.
 */
final class TinyYoloBoxes {

    /** {@code BOX_ANCHORS} of face-api.js's tinyFaceDetector/const, in grid cells. */
    private static final double[] ANCHOR_W = {1.603231, 6.041143, 2.882459, 4.266906, 9.041765};
    private static final double[] ANCHOR_H = {2.094468, 7.080126, 3.518061, 5.178857, 10.66308};
    static final int ANCHORS = ANCHOR_W.length;
    /** x, y, width, height, score per anchor (one class, so no class scores). */
    static final int ENCODING = 5;
    static final double IOU_THRESHOLD = 0.4;

    private TinyYoloBoxes() {
    }

    /** A candidate as {@code BoundingBox(x, y, x + w, y + h)} relative to the image (0..1 spans it). */
    private record Candidate(double x, double y, double width, double height, double score) {
    }

    static List<FaceBox> decode(float[] grid, int cells, int inputSize, double scoreThreshold, int imageWidth,
            int imageHeight) {
        // NetInput.getReshapedInputDimensions: the image scaled so its longer side is the input size, rounded
        double scale = (double) inputSize / Math.max(imageWidth, imageHeight);
        double reshapedW = Math.round(imageWidth * scale);
        double reshapedH = Math.round(imageHeight * scale);
        double side = Math.max(reshapedW, reshapedH);
        double correctionX = side / reshapedW;
        double correctionY = side / reshapedH;

        List<Candidate> candidates = new ArrayList<>();
        for (int row = 0; row < cells; row++) {
            for (int col = 0; col < cells; col++) {
                for (int a = 0; a < ANCHORS; a++) {
                    int o = ((row * cells + col) * ANCHORS + a) * ENCODING;
                    double score = sigmoid(grid[o + 4]);
                    if (!(score > scoreThreshold)) {
                        continue;
                    }
                    double ctX = ((col + sigmoid(grid[o])) / cells) * correctionX;
                    double ctY = ((row + sigmoid(grid[o + 1])) / cells) * correctionY;
                    double width = ((Math.exp(grid[o + 2]) * ANCHOR_W[a]) / cells) * correctionX;
                    double height = ((Math.exp(grid[o + 3]) * ANCHOR_H[a]) / cells) * correctionY;
                    double x = ctX - width / 2;
                    double y = ctY - height / 2;
                    // BoundingBox(left, top, right, bottom) stores right - left and bottom - top
                    candidates.add(new Candidate(x, y, (x + width) - x, (y + height) - y, score));
                }
            }
        }

        List<FaceBox> out = new ArrayList<>();
        for (int i : nonMaxSuppression(candidates, inputSize)) {
            Candidate c = candidates.get(i);
            out.add(toPixels(c, imageWidth, imageHeight));
        }
        return out;
    }

    /**
     * face-api.js's greedy NMS: indices sorted by ascending score (a stable sort, so among equal scores the later
     * candidate is taken first), the best taken, every remaining box with IOU above the threshold dropped.
     */
    private static List<Integer> nonMaxSuppression(List<Candidate> candidates, int inputSize) {
        int n = candidates.size();
        double[][] boxes = new double[n][];
        for (int i = 0; i < n; i++) {
            Candidate c = candidates.get(i);
            boxes[i] = new double[] {c.x * inputSize, c.y * inputSize, c.width * inputSize, c.height * inputSize};
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> candidates.get(i).score));
        List<Integer> remaining = new ArrayList<>(Arrays.asList(order));
        List<Integer> pick = new ArrayList<>();
        while (!remaining.isEmpty()) {
            int best = remaining.remove(remaining.size() - 1);
            pick.add(best);
            remaining.removeIf(i -> iou(boxes[best], boxes[i]) > IOU_THRESHOLD);
        }
        return pick;
    }

    /** {@code ops/iou} with isIOU = true, on {x, y, width, height}. */
    private static double iou(double[] a, double[] b) {
        double w = Math.max(0.0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
        double h = Math.max(0.0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
        double inter = w * h;
        return inter / (a[2] * a[3] + b[2] * b[3] - inter);
    }

    /**
     * {@code ObjectDetection} scales the relative box to the image, {@code relativeBox} scales it back by
     * {@code 1 / size}, and {@code FaceDetection} scales that to the image again; the same three steps here.
     */
    private static FaceBox toPixels(Candidate c, int imageWidth, int imageHeight) {
        double invW = 1.0 / imageWidth;
        double invH = 1.0 / imageHeight;
        double x = c.x * imageWidth * invW * imageWidth;
        double y = c.y * imageHeight * invH * imageHeight;
        double w = c.width * imageWidth * invW * imageWidth;
        double h = c.height * imageHeight * invH * imageHeight;
        return new FaceBox((float) x, (float) y, (float) w, (float) h, (float) c.score);
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
