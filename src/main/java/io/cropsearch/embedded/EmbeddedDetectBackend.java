package io.cropsearch.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.Attributes;
import io.cropsearch.engine.face.FaceBox;
import io.cropsearch.engine.face.FacePipeline;
import io.cropsearch.errors.ErrorCode;
import io.cropsearch.search.Deadline;
import io.cropsearch.search.DetectBackend;
import io.cropsearch.search.SearchFailure;
import io.cropsearch.search.SearchResult;
import io.cropsearch.validation.SearchImage;
import io.cropsearch.validation.ValidatedDetect;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import java.time.Duration;
import java.util.List;

/**
 * {@code /detect} with the embedded engine: every face the detector finds ({@link FacePipeline#detectAll}, largest
 * first), each with its box in the submitted image's pixels (rounded, clipped to the image), the detector's score, a
 * JPEG of the box and, when asked, five landmarks from the 68 of the full landmark net. An image without a face answers
 * {@code data: []} (a detection found nothing; it is not a refusal, unlike a search).
 *
 * <p>Landmarks: the 68 points are numbered as dlib and face-api.js number them, and "left"/"right" are the image's
 * sides, as in Verifik's own example ({@code left_eye} has the smaller x): {@code left_eye} is the mean of points 36-41
 * (the subject's right eye), {@code right_eye} the mean of 42-47, {@code nose} point 30 (the tip), {@code left_mouth}
 * point 48 and {@code right_mouth} point 54 (the mouth corners).
 *
 * <p>{@code return_attributes}: {@code attributes} from face-api.js's {@code AgeGenderNet}
 * ({@link FacePipeline#attributes}): {@code age} in whole years (an estimate good to about +-10 years on one photo,
 * docs/EMBEDDED.md), {@code gender} {@code M} or {@code F} and {@code gender_probability} (0.5-1).
 */
@ApplicationScoped
@Typed(EmbeddedDetectBackend.class)
public class EmbeddedDetectBackend implements DetectBackend {
    private final ObjectMapper json;
    private final int photoMaxSide;
    private final int thumbnailSize;

    public EmbeddedDetectBackend(ObjectMapper json, CropSearchConfig config) {
        this.json = json;
        this.photoMaxSide = config.limits().photoMaxSidePx();
        this.thumbnailSize = config.embedded().thumbnailSize();
    }

    @Override
    public SearchResult detect(ValidatedDetect request, String bearerToken, Deadline deadline) {
        long started = System.nanoTime();
        if (!(request.image() instanceof SearchImage.Inline inline)) {
            throw new SearchFailure(409, ErrorCode.INVALID_PARAMETER,
                    "\"image\" is a URL; the embedded backend works offline and needs a base64 image", null, null,
                    false, 0);
        }
        Rgb image = FaceReader.decode("image", inline.bytes(), photoMaxSide);
        List<FaceBox> boxes = FacePipeline.shared().detectAll(image);
        ArrayNode data = json.createArrayNode();
        for (FaceBox box : boxes) {
            if (deadline.remaining().isZero()) {
                throw new SearchFailure(504, ErrorCode.TIMEOUT, "detect_timeout", null, null, true, 0);
            }
            data.add(entry(image, box, request));
        }
        return new SearchResult(Envelope.of(json, data), 0, Duration.ofNanos(System.nanoTime() - started));
    }

    /** One face of the answer. */
    private ObjectNode entry(Rgb image, FaceBox box, ValidatedDetect request) {
        ObjectNode entry = json.createObjectNode();
        ObjectNode b = entry.putObject("box");
        b.put("top", Math.max(0, Math.round(box.y())));
        b.put("left", Math.max(0, Math.round(box.x())));
        b.put("right", Math.min(image.width(), Math.round(box.x() + box.width())));
        b.put("bottom", Math.min(image.height(), Math.round(box.y() + box.height())));
        entry.putArray("persons");
        if (request.returnLandmarks()) {
            float[] p = FacePipeline.shared().landmarks(image, box, FacePipeline.Mode.ACCURATE).points();
            ObjectNode landmarks = entry.putObject("landmarks");
            point(landmarks, "nose", p, 30, 30);
            point(landmarks, "left_eye", p, 36, 41);
            point(landmarks, "right_eye", p, 42, 47);
            point(landmarks, "left_mouth", p, 48, 48);
            point(landmarks, "right_mouth", p, 54, 54);
        }
        if (request.returnAttributes()) {
            Attributes a = FacePipeline.shared().attributes(image, box);
            ObjectNode attributes = entry.putObject("attributes");
            attributes.put("age", Math.round(a.age()));
            attributes.put("gender", a.gender());
            attributes.put("gender_probability", Math.round(a.genderProbability() * 10_000) / 10_000.0);
        }
        entry.put("thumbnail", Thumbnails.faceJpegBase64(image, box, thumbnailSize));
        entry.put("detection_score", Math.round(box.score() * 10_000) / 10_000.0);
        return entry;
    }

    /** The mean of landmarks {@code first}..{@code last} (inclusive), rounded to whole pixels. */
    private static void point(ObjectNode landmarks, String name, float[] points, int first, int last) {
        double x = 0;
        double y = 0;
        for (int i = first; i <= last; i++) {
            x += points[2 * i];
            y += points[2 * i + 1];
        }
        int n = last - first + 1;
        landmarks.putArray(name).add(Math.round(x / n)).add(Math.round(y / n));
    }
}
