package io.cropsearch.embedded;

import io.cropsearch.engine.codec.ImageDecodeException;
import io.cropsearch.engine.codec.ImageDecoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceEmbedder;


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

    public Enrolment(Gallery gallery, CropSearchConfig config) {
        this.gallery = gallery;
        this.thumbnailSize = config.embedded().thumbnailSize();
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
        gallery.existing(request.name(), request.dateOfBirth(), collections).ifPresent(p -> {
            throw new AlreadyEnrolled(p);
        });
        List<float[]> plain = new ArrayList<>();
        List<float[]> mirrored = new ArrayList<>();
        List<Thumbnail> thumbnails = new ArrayList<>();
        for (int i = 0; i < request.images().size(); i++) {
            Rgb image;
            try {
                image = ImageDecoder.decode(request.images().get(i).bytes());
            } catch (ImageDecodeException e) {
                throw ApiException.invalid("\"images[" + i
                        + "]\" cannot be decoded by the embedded engine (baseline JPEG and PNG are supported)");
            }
            plain.add(FaceEmbedder.shared().embed(image));
            mirrored.add(EmbeddedSearchBackend.mirrorAveraged(image));
            thumbnails.add(new Thumbnail(Gallery.newId(), Thumbnails.jpegBase64(image, thumbnailSize)));
        }
        Instant now = Instant.now();
        Person person = new Person(Gallery.newId(), request.name(), request.gender(), request.dateOfBirth(),
                request.nationality(), collections, request.notes(), thumbnails, now, now);
        gallery.enrol(new EnrolledPerson(person, plain, mirrored));
        return person;
    }
}
