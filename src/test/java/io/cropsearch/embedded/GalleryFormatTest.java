package io.cropsearch.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.errors.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A gallery file written before face detection (format 1) is never read as if its descriptors were today's. */
class GalleryFormatTest {
    private static final String COLLECTION = "{\"_id\":\"c1\",\"code\":\"k1\",\"name\":\"staff\","
            + "\"createdAt\":\"2026-11-20T10:00:00Z\",\"updatedAt\":\"2026-11-20T10:00:00Z\"}";
    private static final String OLD_PERSON = "{\"_id\":\"p1\",\"name\":\"Jane\",\"collections\":[\"c1\"],"
            + "\"thumbnails\":[],\"createdAt\":\"2026-11-20T10:00:00Z\",\"updatedAt\":\"2026-11-20T10:00:00Z\","
            + "\"descriptors\":[{\"plain\":\"AAAA\",\"mirrored\":\"AAAA\"}]}";

    @TempDir
    Path dir;

    @Test
    void personsOfTheOldFormatAreRefusedWithAnInstructionOnEveryUse() throws Exception {
        Path file = dir.resolve("gallery.json");
        Files.writeString(file, "{\"format\":\"crop-search-gallery/1\",\"collections\":[" + COLLECTION
                + "],\"persons\":[" + OLD_PERSON + "]}");
        Gallery gallery = new Gallery(new FileGalleryStore(file, new ObjectMapper()), Duration.ZERO);
        for (Runnable use : new Runnable[] {
                () -> gallery.nearest(new float[128], false, Optional.empty(), 1.0, 5),
                () -> gallery.page(1, 10, Optional.empty()),
                () -> gallery.addCollection("visitors", null)}) {
            ApiException refused = assertThrows(ApiException.class, use::run);
            assertEquals(503, refused.status());
            assertEquals("GalleryOutdated", refused.code());
            assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
            assertTrue(refused.getMessage().contains("Re-enrol"), refused.getMessage());
        }
        assertTrue(Files.readString(file).contains("crop-search-gallery/1"), "the old file is left as it was");
    }

    @Test
    void aFileOfAFormatThisBuildDoesNotKnowIsRefusedAndLeftAsItIs() throws Exception {
        Path file = dir.resolve("gallery.json");
        String newer = "{\"format\":\"crop-search-gallery/9\",\"collections\":[" + COLLECTION + "],\"persons\":[]}";
        Files.writeString(file, newer);
        Gallery gallery = new Gallery(new FileGalleryStore(file, new ObjectMapper()), Duration.ZERO);
        ApiException refused = assertThrows(ApiException.class, () -> gallery.addCollection("visitors", null));
        assertEquals(503, refused.status());
        assertTrue(refused.getMessage().contains("crop-search-gallery/9"), refused.getMessage());
        assertEquals(newer, Files.readString(file), "not rewritten");
    }

    @Test
    void anOldFileWithCollectionsOnlyIsReadAndRewrittenInTheCurrentFormat() throws Exception {
        Path file = dir.resolve("gallery.json");
        Files.writeString(file, "{\"format\":\"crop-search-gallery/1\",\"collections\":[" + COLLECTION
                + "],\"persons\":[]}");
        Gallery gallery = new Gallery(new FileGalleryStore(file, new ObjectMapper()), Duration.ZERO);
        assertTrue(gallery.collection("k1").isPresent());
        gallery.addCollection("visitors", null);
        assertTrue(Files.readString(file).contains(GalleryFormat.CURRENT), Files.readString(file));
    }
}
