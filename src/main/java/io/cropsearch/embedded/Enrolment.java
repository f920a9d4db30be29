package io.cropsearch.embedded;

import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceBox;
import io.cropsearch.engine.face.FacePipeline;

import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.errors.ApiException;
import io.cropsearch.errors.ErrorCode;
import io.cropsearch.validation.ValidatedPerson;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Turns a validated enrolment into an enrolled person: descriptors, thumbnails, collection membership. */
@ApplicationScoped
public class Enrolment {
    private final Gallery gallery;
    private final int thumbnailSize;
    private final int maxSide;

    public Enrolment(Gallery gallery, CropSearchConfig config) {
        this.gallery = gallery;
        this.thumbnailSize = config.embedded().thumbnailSize();
        // Whole photos are enrolled by their largest face (FaceReader.face), so the photo limit applies.
        this.maxSide = config.limits().photoMaxSidePx();
    }

    /** Thrown when the same name and date of birth are already enrolled in one of the collections (Verifik's 412). */
    public static final class AlreadyEnrolled extends RuntimeException {
        private final Person existing;

        AlreadyEnrolled(Person existing) {
            super("person_already_set", null, false, false);
            this.existing = existing;
        }

        public Person existing() {
            return existing;
        }
    }

    public Person enrol(ValidatedPerson request) {
        List<String> collections = new ArrayList<>(new LinkedHashSet<>(request.collections().stream()
                .map(idOrCode -> gallery.collection(idOrCode).map(FaceCollection::id)
                        .orElseThrow(() -> new ApiException(404, ErrorCode.NOT_FOUND, "collection_not_found")))
                .toList()));
        // A quick refusal before the slow pipeline; the insert (Gallery.enrol) checks again, atomically, and decides.
        gallery.existing(request.name(), request.dateOfBirth(), collections).ifPresent(p -> {
            throw new AlreadyEnrolled(p);
        });
        List<float[]> fast = new ArrayList<>();
        List<float[]> accurate = new ArrayList<>();
        List<Thumbnail> thumbnails = new ArrayList<>();
        FacePipeline pipeline = FacePipeline.shared();
        for (int i = 0; i < request.images().size(); i++) {
            String field = "images[" + i + "]";
            Rgb image = FaceReader.decode(field, request.images().get(i).bytes(), maxSide);
            FaceBox box = FaceReader.face(field, image);
            // Both modes' descriptors, each cut as its mode cuts a query (FacePipeline): a search compares like with like
            for (FacePipeline.Mode mode : FacePipeline.Mode.values()) {
                float[] d = pipeline.describe(image, pipeline.landmarks(image, box, mode), mode);
                (mode == FacePipeline.Mode.FAST ? fast : accurate).add(d);
            }
            thumbnails.add(new Thumbnail(Gallery.newId(), Thumbnails.faceJpegBase64(image, box, thumbnailSize)));
        }
        Instant now = Instant.now();
        Person person = new Person(Gallery.newId(), request.name(), request.gender(), request.dateOfBirth(),
                request.nationality(), collections, request.notes(), thumbnails, now, now);
        gallery.enrol(new EnrolledPerson(person, fast, accurate)); // AlreadyEnrolled if a concurrent one came first
        return person;
    }
}
