package io.cropsearch.embedded;

import io.cropsearch.engine.face.FacePipeline;
import io.cropsearch.errors.ErrorCode;
import io.cropsearch.search.SearchFailure;

/**
 * The stored gallery's format, one for both stores. The number follows {@link FacePipeline#VERSION}: descriptors made
 * by another pipeline describe differently cut faces and are not comparable with this one's, so a gallery of another
 * format is refused with a message that tells the operator what to do, never mixed in silently. Format 1 (before
 * face detection) kept only descriptors and 64 px thumbnails: nothing to recompute the new descriptors from, so there
 * is no migration.
 */
final class GalleryFormat {

    static final String CURRENT = "crop-search-gallery/" + FacePipeline.VERSION;
    /** Before the face pipeline: the whole image described as sent. */
    static final String BEFORE_FACE_PIPELINE = "crop-search-gallery/1";

    private GalleryFormat() {
    }

    /** Collections hold no descriptors: any format this build knows is fine. */
    static boolean readableCollection(String format) {
        return CURRENT.equals(format) || BEFORE_FACE_PIPELINE.equals(format);
    }

    /**
     * The refusal for a gallery not of the current format. A 503 that is transient for the S3 path (the upload is
     * retried, not lost, once the operator has re-enrolled), never a 500.
     *
     * @param what which persons or items, so that the operator can find them
     */
    static SearchFailure refusal(String where, String format, String what) {
        if (BEFORE_FACE_PIPELINE.equals(format)) {
            return new SearchFailure(503, ErrorCode.GALLERY_OUTDATED, "the embedded gallery (" + where + ") holds "
                    + what + " enrolled in format " + format + ", made before face detection and alignment (face "
                    + "pipeline " + FacePipeline.VERSION + "); their descriptors cannot be compared with today's. "
                    + "Re-enrol them: delete those persons (or the gallery file, or the table's PERSON# items) and "
                    + "enrol their images again", null, null, true, 0);
        }
        return new SearchFailure(503, ErrorCode.GALLERY_OUTDATED, "the embedded gallery (" + where + ") holds " + what
                + " in format " + format + ", which this build (" + CURRENT + ") does not read; it was left as it "
                + "is: run the build that wrote it, or re-enrol", null, null, true, 0);
    }
}
