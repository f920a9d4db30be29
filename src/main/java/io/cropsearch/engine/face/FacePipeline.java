package io.cropsearch.engine.face;

import io.cropsearch.engine.codec.Rgb;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The whole face pipeline for one image: detect the face, find its 68 landmarks, cut it out aligned, describe it.
 * Every image that is enrolled or searched goes through here, so a descriptor always means the same thing.
 *
 * <ul>
 *   <li>Detect: face-api.js's TinyFaceDetector. A face crop is framed so tightly that the detector, trained on
 *   whole scenes, misses many (about a third of the evaluation crops as they come); the image is therefore placed on
 *   a black border first ({@link #ATTEMPTS}: a quarter of its longer side on every side, and half of it when
 *   that finds nothing) and boxes are mapped back. An image where the face is small (a photo more than a crop) is
 *   then looked at whole, at the detector's default input size. Several faces: the largest box wins (documented in
 *   docs/EMBEDDED.md); none: {@link Optional#empty()}.</li>
 *   <li>Landmarks on the detected box (clipped to the image, as face-api.js extracts it): the tiny 68-point net for
 *   FAST, the full one for ACCURATE.</li>
 *   <li>Align and describe. FAST: face-api.js's own {@code withFaceDescriptor()} cut ({@link Align#dlibBox}), one
 *   pass of the recognition net, so FAST reproduces face-api.js's full pipeline. ACCURATE: dlib's rotation-corrected
 *   face chip ({@link Align#chip}) and its mirror image, descriptors averaged.</li>
 * </ul>
 *
 * <p>Thread-safe: the networks are immutable and each call has its own scratch.
 */
public final class FacePipeline {

    /**
     * Stored with every enrolled descriptor. 1: the whole image was described as it came (up to 2026-11); 2: this
     * pipeline. Descriptors of different versions are not comparable.
     */
    public static final int VERSION = 2;

    /** Boxes scoring below this are not faces (face-api.js's default for the tiny detector is 0.5). */
    static final float DETECT_MIN_SCORE = 0.5f;

    /** One detection attempt: the detector's input size and the black border, as a fraction of the longer side. */
    record Attempt(int inputSize, double margin) {
    }

    /**
     * Tried in order until one finds a face. Chosen by measurement on the evaluation crops (docs/EMBEDDED.md):
     * 160 with a quarter border finds all but one face crop, half a border the rest; 416 without a border is
     * face-api.js's default, for faces that fill little of the image.
     */
    static final List<Attempt> ATTEMPTS = List.of(new Attempt(160, 0.25), new Attempt(160, 0.5), new Attempt(416, 0));

    static final int CHIP_SIZE = 150;
    static final double CHIP_PADDING = 0.25;

    public enum Mode { FAST, ACCURATE }

    /** The face found in an image: where (image pixels), its 68 landmarks and its descriptor. */
    public record Face(FaceBox box, Landmarks landmarks, float[] descriptor) {
    }

    /**
     * 68 landmarks (x0, y0, x1, y1, ... in image pixels) and the size of the cut they were found on (the detected
     * box, clipped and floored as face-api.js cuts it), which face-api.js's aligned box depends on.
     */
    public record Landmarks(float[] points, int faceWidth, int faceHeight) {
    }

    private final TinyFaceDetector detector;
    private final FaceLandmarkNet tinyLandmarks;
    private final FaceLandmarkNet fullLandmarks;
    private final FaceEmbedder embedder;

    FacePipeline(TinyFaceDetector detector, FaceLandmarkNet tinyLandmarks, FaceLandmarkNet fullLandmarks,
                 FaceEmbedder embedder) {
        this.detector = detector;
        this.tinyLandmarks = tinyLandmarks;
        this.fullLandmarks = fullLandmarks;
        this.embedder = embedder;
    }

    private static final class Holder {
        static final FacePipeline INSTANCE = new FacePipeline(TinyFaceDetector.load(), FaceLandmarkNet.loadTiny(),
                FaceLandmarkNet.loadFull(), FaceEmbedder.shared());
    }

    /** The process-wide pipeline, loaded on first use. */
    public static FacePipeline shared() {
        return Holder.INSTANCE;
    }

    /** The face of an image and its descriptor, or empty when the image holds no face. */
    public Optional<Face> describe(Rgb image, Mode mode) {
        return detect(image).map(box -> {
            Landmarks landmarks = landmarks(image, box, mode);
            return new Face(box, landmarks, describe(image, landmarks, mode));
        });
    }

    /** Step 1: the face the pipeline works on (the largest found), in image pixels. */
    public Optional<FaceBox> detect(Rgb image) {
        List<FaceBox> all = detectAll(image);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * Every face of the image, largest first, in image pixels; empty when there is none. The first attempt that finds
     * a face decides (see {@link #ATTEMPTS}).
     */
    public List<FaceBox> detectAll(Rgb image) {
        for (Attempt attempt : ATTEMPTS) {
            int margin = (int) Math.round(Math.max(image.width(), image.height()) * attempt.margin());
            List<FaceBox> found = detector.detect(border(image, margin), attempt.inputSize(), DETECT_MIN_SCORE)
                    .stream()
                    .map(b -> toImage(b, margin, image))
                    .filter(b -> b.width() >= 1 && b.height() >= 1)
                    .sorted(Comparator.comparingDouble((FaceBox b) -> (double) b.width() * b.height()).reversed())
                    .toList();
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    /** Step 2: the 68 landmarks of the face in {@code box}, in image pixels. */
    public Landmarks landmarks(Rgb image, FaceBox box, Mode mode) {
        Align.Rect r = Align.clip(box.x(), box.y(), box.width(), box.height(), image.width(), image.height());
        if (r == null) {
            throw new IllegalArgumentException("face box " + box + " lies outside the " + image.width() + "x"
                    + image.height() + " image");
        }
        float[] points = (mode == Mode.FAST ? tinyLandmarks : fullLandmarks).detect(Align.cut(image, r));
        // face-api.js shifts the landmarks by the unfloored box corner although it cut the floored one (up to a
        // pixel off); FAST keeps that so that its descriptors equal face-api.js's, ACCURATE uses the true origin
        float dx = mode == Mode.FAST ? box.x() : r.x();
        float dy = mode == Mode.FAST ? box.y() : r.y();
        for (int i = 0; i < points.length; i += 2) {
            points[i] += dx;
            points[i + 1] += dy;
        }
        return new Landmarks(points, r.width(), r.height());
    }

    /** Steps 3 and 4: the aligned face's descriptor. */
    public float[] describe(Rgb image, Landmarks landmarks, Mode mode) {
        if (mode == Mode.FAST) {
            Align.Rect r = Align.dlibBox(landmarks.points(), landmarks.faceWidth(), landmarks.faceHeight(),
                    image.width(), image.height());
            return embedder.embed(r == null ? image : Align.cut(image, r));
        }
        Rgb chip = Align.chip(image, landmarks.points(), CHIP_SIZE, CHIP_PADDING);
        float[] plain = embedder.embed(chip);
        float[] mirrored = embedder.embed(chip.mirrored());
        float[] out = new float[plain.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (plain[i] + mirrored[i]) / 2;
        }
        return out;
    }

    /** Runs every stage a few times on a synthetic image so the JIT compiles them before the first request. */
    public void warmUp(int iterations) {
        embedder.warmUp(iterations);
        byte[] px = new byte[160 * 160 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31 + (i / 480) * 7);
        }
        Rgb img = new Rgb(160, 160, px);
        FaceBox whole = new FaceBox(10, 10, 140, 140, 1f);
        for (int i = 0; i < iterations; i++) {
            detect(img);
            for (Mode mode : Mode.values()) {
                describe(img, landmarks(img, whole, mode), mode);
            }
        }
    }

    private static FaceBox toImage(FaceBox b, int margin, Rgb image) {
        // clipped to the image the caller sent: the box is reported back and the landmark net reads only this much
        float x0 = Math.max(0, b.x() - margin);
        float y0 = Math.max(0, b.y() - margin);
        float x1 = Math.min(image.width(), b.x() + b.width() - margin);
        float y1 = Math.min(image.height(), b.y() + b.height() - margin);
        return new FaceBox(x0, y0, x1 - x0, y1 - y0, b.score());
    }

    private static Rgb border(Rgb image, int margin) {
        if (margin == 0) {
            return image;
        }
        int w = image.width() + 2 * margin;
        int h = image.height() + 2 * margin;
        byte[] out = new byte[w * h * 3];
        int row = image.width() * 3;
        for (int y = 0; y < image.height(); y++) {
            System.arraycopy(image.pixels(), y * row, out, ((y + margin) * w + margin) * 3, row);
        }
        return new Rgb(w, h, out);
    }
}
