package io.cropsearch.engine.face;

import io.cropsearch.engine.codec.Downscale;
import io.cropsearch.engine.codec.Rgb;

import java.util.ArrayList;
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
 *   that finds nothing) and boxes are mapped back. An image where no face fills the image (a photo more than a
 *   crop), or larger than a crop can be, is looked at whole: shrunk by area averaging, at 416 and 512
 *   ({@link #detectAll}, {@link #detectPhoto}). Several faces: the largest box wins (documented in
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
     * face-api.js's default, for faces that fill little of the image (since the photo pass, {@link #detectPhoto}
     * runs it: the same detection for an image up to 416 px a side, shrunk and followed by 512 for larger ones).
     */
    static final List<Attempt> ATTEMPTS = List.of(new Attempt(160, 0.25), new Attempt(160, 0.5), new Attempt(416, 0));

    /**
     * Whole photos (docs/EMBEDDED.md, "Whole photos"): the photo pass runs the tiny detector at 416 (face-api.js's
     * default, whose boxes face-api.js's own tests expect) and then at 512 for the faces 416 missed, each on the photo
     * shrunk by area averaging to the input size. Chosen by measurement against face-api.js's SSD MobileNet v1 on
     * face-api.js's group photos (tools/reference/make-photo-detection.js): 416 alone misses two of the four faces of
     * bbt1.jpg (1366 px wide); 512 and up find every face SSD finds, but their boxes are larger than 416's by 25-55 px
     * (the tiny detector's boxes grow with the input size), too far from face-api.js's expected boxes for faces.jpg
     * (5 px); 608 adds a false face on bbt1, 800 loses two faces of bbt2. SSD itself costs about ten times the
     * multiply-adds of the tiny detector at 512 (MobileNet v1 at 512 x 512, about 3 G), beyond the speed target.
     */
    static final int[] PHOTO_INPUT_SIZES = {416, 512};

    /**
     * The crops contract's own limit on a side. A larger image is shrunk to it by area averaging for the crop attempts
     * (a high-resolution portrait framed like a crop is still found as one; a bordered copy of a 4096 px photo itself
     * would be 113 MB); up to it, the crop attempts see the image as it is, as they always did.
     */
    static final int CROP_MAX_SIDE = 1024;

    /**
     * A crop attempt's result is kept when its largest face is at least this fraction of the image's shorter side: the
     * face fills the image, as in a crop (the crop convention's face box is about 0.8 of the side; measured minimum
     * over the fixture and evaluation crops in docs/EMBEDDED.md). Smaller faces mean a scene: the photo pass decides.
     */
    static final double CROP_FACE_FRACTION = 0.5;

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
     * Every face of the image, largest first, in image pixels; empty when there is none.
     *
     * <p>Policy (docs/EMBEDDED.md, "Whole photos"): first the crop attempts (the first two of {@link #ATTEMPTS}: 160
     * on a black border; on the image shrunk to {@link #CROP_MAX_SIDE} when it is larger). Their result stands when
     * its largest face fills the image ({@link #CROP_FACE_FRACTION}): crops are detected exactly as before. Otherwise
     * the image is a photo (or a crop without a face at 160): the photo pass {@link #detectPhoto} finds its faces;
     * for an image up to 416 px a side that is the former last crop attempt, 416 on the image as it is. When the
     * photo pass finds nothing, whatever a crop attempt found stands.
     */
    public List<FaceBox> detectAll(Rgb image) {
        List<FaceBox> crop = detectAsCrop(image);
        if (!crop.isEmpty() && fillsImage(crop.get(0), image)) {
            return crop;
        }
        List<FaceBox> photo = detectPhoto(image);
        return photo.isEmpty() ? crop : photo;
    }

    /** The crop attempts until one finds a face, boxes in the image's pixels. */
    private List<FaceBox> detectAsCrop(Rgb image) {
        int[] size = Downscale.fit(image.width(), image.height(), CROP_MAX_SIDE);
        Rgb view = size[0] == image.width() && size[1] == image.height()
                ? image : Downscale.area(image, size[0], size[1]);
        double fx = (double) image.width() / view.width();
        double fy = (double) image.height() / view.height();
        for (Attempt attempt : ATTEMPTS.subList(0, ATTEMPTS.size() - 1)) {
            int margin = (int) Math.round(Math.max(view.width(), view.height()) * attempt.margin());
            List<FaceBox> found = largestFirst(detector.detect(border(view, margin), attempt.inputSize(),
                    DETECT_MIN_SCORE).stream().map(b -> toImage(b, margin, fx, fy, image)));
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    /**
     * The photo pass ({@link #PHOTO_INPUT_SIZES}): the tiny detector at 416 on the image as it is when its longer side
     * is at most 416 (the former last crop attempt, unchanged), otherwise shrunk by area averaging to a longer side of
     * 416 (the detector's own bilinear resize samples four pixels per input value and aliases on a large photo); then,
     * for an image larger than 416, at 512 on the image shrunk to 512, keeping the faces the first pass did not find
     * (the same face: one box's centre inside the other). Boxes scaled back to the image's pixels. Memory: one shrunk
     * copy at a time (at most 512 x 512 RGB, 0.8 MB) and the detector's activations, whatever the photo's size.
     */
    List<FaceBox> detectPhoto(Rgb image) {
        List<FaceBox> found = new ArrayList<>(detectShrunk(image, PHOTO_INPUT_SIZES[0]));
        if (Math.max(image.width(), image.height()) > PHOTO_INPUT_SIZES[0]) {
            for (FaceBox b : detectShrunk(image, PHOTO_INPUT_SIZES[1])) {
                if (found.stream().noneMatch(a -> sameFace(a, b))) {
                    found.add(b);
                }
            }
        }
        return largestFirst(found.stream());
    }

    /** The tiny detector at {@code inputSize} on the image shrunk to fit it (as it is when it fits already). */
    private List<FaceBox> detectShrunk(Rgb image, int inputSize) {
        int[] size = Downscale.fit(image.width(), image.height(), inputSize);
        Rgb small = size[0] == image.width() && size[1] == image.height()
                ? image : Downscale.area(image, size[0], size[1]);
        double fx = (double) image.width() / small.width();
        double fy = (double) image.height() / small.height();
        return detector.detect(small, inputSize, DETECT_MIN_SCORE).stream()
                .map(b -> toImage(b, 0, fx, fy, image))
                .toList();
    }

    /** One box's centre inside the other: the same face seen at two input sizes. */
    static boolean sameFace(FaceBox a, FaceBox b) {
        return centreInside(a, b) || centreInside(b, a);
    }

    private static boolean centreInside(FaceBox p, FaceBox q) {
        double cx = p.x() + p.width() / 2.0;
        double cy = p.y() + p.height() / 2.0;
        return cx >= q.x() && cx <= q.right() && cy >= q.y() && cy <= q.bottom();
    }

    private static boolean fillsImage(FaceBox face, Rgb image) {
        return Math.max(face.width(), face.height()) >= CROP_FACE_FRACTION * Math.min(image.width(), image.height());
    }

    private static List<FaceBox> largestFirst(java.util.stream.Stream<FaceBox> boxes) {
        return boxes.filter(b -> b.width() >= 1 && b.height() >= 1)
                .sorted(Comparator.comparingDouble((FaceBox b) -> (double) b.width() * b.height()).reversed())
                .toList();
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

    /** The age and gender net, loaded on the first {@link #attributes} call: most requests never ask for it. */
    private static final class AgeGender {
        static final AgeGenderNet NET = AgeGenderNet.load();
    }

    /**
     * Age and gender of the face in {@code box} (image pixels), as face-api.js's {@code AgeGenderNet} sees the box
     * cut out (clipped to the image and floored, as {@code extractFaceTensors} cuts it): given a detection box, what
     * {@code detectAllFaces(...).withAgeAndGender()} reports for it. How well it does on real photos:
     * docs/EMBEDDED.md, "Age and gender".
     */
    public Attributes attributes(Rgb image, FaceBox box) {
        Align.Rect r = Align.clip(box.x(), box.y(), box.width(), box.height(), image.width(), image.height());
        if (r == null) {
            throw new IllegalArgumentException("face box " + box + " lies outside the " + image.width() + "x"
                    + image.height() + " image");
        }
        return AgeGender.NET.predict(Align.cut(image, r));
    }

    /**
     * Each net once on a synthetic image, at the input a crop search starts with (the detector at 160, the two landmark
     * nets, one recognition pass), and ACCURATE's chip alignment without its descriptor: weights loaded, classes
     * initialised, kernels on the way to the JIT. For an init someone waits for (a cold start on demand): it waits for
     * this and then for the first search, so a warm-up that did more than a search does would only add to that wait
     * (BENCHMARKS.md, "Start-up on Java 25").
     */
    public void warmUpNets() {
        Rgb img = warmUpImage();
        FaceBox whole = new FaceBox(10, 10, 140, 140, 1f);
        detector.detect(img, ATTEMPTS.get(0).inputSize(), DETECT_MIN_SCORE);
        describe(img, landmarks(img, whole, Mode.FAST), Mode.FAST);
        Align.chip(img, landmarks(img, whole, Mode.ACCURATE).points(), CHIP_SIZE, CHIP_PADDING).mirrored();
    }

    /**
     * The whole pipeline, {@code iterations} times, on a synthetic image: the detection policy (both crop attempts and
     * the photo pass at 416, none of which finds a face here) and both modes' landmarks and descriptors (ACCURATE's is
     * two recognition passes). For an init nobody waits for: before a SnapStart snapshot, for provisioned concurrency.
     */
    public void warmUp(int iterations) {
        Rgb img = warmUpImage();
        FaceBox whole = new FaceBox(10, 10, 140, 140, 1f);
        for (int i = 0; i < iterations; i++) {
            detect(img);
            for (Mode mode : Mode.values()) {
                describe(img, landmarks(img, whole, mode), mode);
            }
        }
    }

    private static Rgb warmUpImage() {
        byte[] px = new byte[160 * 160 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31 + (i / 480) * 7); // non-constant, so ReLU outputs are not all zero
        }
        return new Rgb(160, 160, px);
    }

    /**
     * A box of the bordered or shrunk image in the pixels of the image the caller sent: border removed, scaled by
     * {@code fx, fy} (1 for the crop attempts, so their arithmetic is unchanged), clipped to the image (the box is
     * reported back and the landmark net reads only this much).
     */
    private static FaceBox toImage(FaceBox b, int margin, double fx, double fy, Rgb image) {
        float left = b.x() - margin;
        float top = b.y() - margin;
        float right = b.x() + b.width() - margin;
        float bottom = b.y() + b.height() - margin;
        if (fx != 1 || fy != 1) {
            left = (float) (left * fx);
            right = (float) (right * fx);
            top = (float) (top * fy);
            bottom = (float) (bottom * fy);
        }
        float x0 = Math.max(0, left);
        float y0 = Math.max(0, top);
        float x1 = Math.min(image.width(), right);
        float y1 = Math.min(image.height(), bottom);
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
