package io.cropsearch.embedded;

import io.cropsearch.engine.codec.ImageDecodeException;
import io.cropsearch.engine.codec.ImageDecoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceBox;
import io.cropsearch.engine.face.FacePipeline;
import io.cropsearch.errors.ErrorCode;
import io.cropsearch.search.ProbeFace;
import io.cropsearch.search.SearchFailure;

/**
 * The embedded engine's reading of one submitted image, shared by enrolment and search so both refuse the same
 * images with the same words: undecodable bytes and images without a face are the caller's 409, never a match.
 */
final class FaceReader {

    private FaceReader() {
    }

    /**
     * @param maxSide the validator's limit: the decoder refuses, from the image's own header, anything larger before
     *                it allocates a pixel, whatever an earlier header in the file claimed
     */
    static Rgb decode(String field, byte[] bytes, int maxSide) {
        try {
            return ImageDecoder.decode(bytes, maxSide);
        } catch (ImageDecodeException e) {
            throw refusal(ErrorCode.INVALID_PARAMETER, "\"" + field + "\" cannot be decoded by the embedded engine: "
                    + e.getMessage());
        }
    }

    /** The face the pipeline works on (the largest), or the 409 that says there is none. */
    static FaceBox face(String field, Rgb image) {
        return FacePipeline.shared().detect(image)
                .orElseThrow(() -> refusal(ErrorCode.NO_FACE, "\"" + field + "\" contains no detectable face"));
    }

    static ProbeFace probe(int index, FaceBox box) {
        return new ProbeFace(index, box.score(), Math.round(box.x()), Math.round(box.y()),
                Math.round(box.x() + box.width()), Math.round(box.y() + box.height()));
    }

    private static SearchFailure refusal(String code, String message) {
        return new SearchFailure(409, code, message, null, null, false, 0);
    }
}
