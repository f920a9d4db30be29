package io.cropsearch.embedded;

import io.cropsearch.engine.face.FacePipeline;
import io.cropsearch.errors.ApiException;
import io.cropsearch.errors.ErrorCode;

/**
 * The stored gallery's format, one for both stores. The number follows {@link FacePipeline#VERSION}: descriptors made
 * by another pipeline describe differently cut faces and are not comparable with this one's, so a gallery of another
 * format is refused with a message that tells the operator what to do, never mixed in silently. Format 1 (before
 * face detection) kept only descriptors and 64 px thumbnails: nothing to recompute the new descriptors from, so there
 * is no migration.
 */
final class GalleryFormat {

    static final String CURRENT = "crop-search-gallery/" + FacePipeline.VERSION;
    private GalleryFormat() {
    }

    /** Collections hold no descriptors: any known format is fine. */
    static boolean readableCollection(String format) {
        return CURRENT.equals(format) || "crop-search-gallery/1".equals(format);
    }

    static ApiException outdated(String where, String format) {
        return new ApiException(503, ErrorCode.GALLERY_OUTDATED, "the embedded gallery (" + where + ") holds persons enrolled in format "
                + format + ", made before face detection and alignment (face pipeline " + FacePipeline.VERSION
                + "); their descriptors cannot be compared with today's. Re-enrol them: delete those persons (or the "
                + "gallery file, or the table's items) and enrol their images again");
    }
}
