package io.cropsearch.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up bench's synthetic gallery is one the function itself loads and searches. */
class GalleryGeneratorTest {

    @Test
    void writesAGalleryTheFileStoreLoadsAndTheGallerySearches(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gallery.json");
        GalleryGenerator.write(file, 40, 7);

        GalleryStore.Contents contents = new FileGalleryStore(file, new ObjectMapper()).load();
        assertEquals(GalleryGenerator.COLLECTIONS, contents.collections().size());
        assertEquals(40, contents.persons().size());
        Set<String> collectionIds = new HashSet<>();
        contents.collections().forEach(c -> collectionIds.add(c.id()));
        for (EnrolledPerson p : contents.persons()) {
            assertEquals(1, p.fast().size());
            assertEquals(GalleryGenerator.DESCRIPTOR, p.fast().get(0).length);
            assertEquals(GalleryGenerator.DESCRIPTOR, p.accurate().get(0).length);
            assertTrue(collectionIds.containsAll(p.person().collections()), "members of the file's own collections");
            byte[] thumbnail = Base64.getDecoder().decode(p.person().thumbnails().get(0).thumbnail());
            assertTrue((thumbnail[0] & 0xFF) == 0xFF && (thumbnail[1] & 0xFF) == 0xD8, "a JPEG thumbnail");
        }

        Gallery gallery = new Gallery(new FileGalleryStore(file, new ObjectMapper()), Duration.ofSeconds(5));
        gallery.preload();
        assertEquals(40, gallery.size());
        EnrolledPerson someone = contents.persons().get(13);
        var nearest = gallery.nearest(someone.fast().get(0), false, Optional.empty(), 0.01, 1);
        assertFalse(nearest.isEmpty());
        assertEquals(someone.person().id(), nearest.get(0).person().id(), "a descriptor finds its own person");
    }
}
