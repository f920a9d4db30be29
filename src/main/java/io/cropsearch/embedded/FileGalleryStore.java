package io.cropsearch.embedded;

import io.cropsearch.errors.ApiException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded gallery on local disk: one JSON document, replaced atomically on every change so that a crash never
 * leaves half a file. Descriptors are stored as base64 little-endian float32. Every change rewrites the whole file,
 * which is fine for the galleries a single machine enrols by hand but not for large ones: those belong in
 * {@link DynamoDbGalleryStore}. The store keeps its own view of the contents (shared, immutable records) so that a
 * rewrite needs nothing from the caller.
 */
public final class FileGalleryStore implements GalleryStore {
    private final Path path;
    private final ObjectMapper json;
    private final Map<String, FaceCollection> collections = new LinkedHashMap<>();
    private final Map<String, EnrolledPerson> persons = new LinkedHashMap<>();

    public FileGalleryStore(Path path, ObjectMapper json) {
        this.path = path;
        this.json = json;
    }

    @Override
    public String describe() {
        return "file " + path.toAbsolutePath();
    }

    @Override
    public void putCollection(FaceCollection collection) {
        FaceCollection previous = collections.put(collection.id(), collection);
        saveOrUndo(() -> restore(collections, collection.id(), previous));
    }

    @Override
    public void putPerson(EnrolledPerson person) {
        EnrolledPerson previous = persons.put(person.person().id(), person);
        saveOrUndo(() -> restore(persons, person.person().id(), previous));
    }

    @Override
    public void deletePerson(String personId) {
        Map<String, EnrolledPerson> before = new LinkedHashMap<>(persons);
        if (persons.remove(personId) != null) {
            // a removed entry cannot be put back in its place, hence the copy (order is the persons' listing order)
            saveOrUndo(() -> {
                persons.clear();
                persons.putAll(before);
            });
        }
    }

    /** A change the file did not take must not linger in memory, or the next rewrite would persist it unasked. */
    private void saveOrUndo(Runnable undo) {
        try {
            save();
        } catch (RuntimeException e) {
            undo.run();
            throw e;
        }
    }

    private static <T> void restore(Map<String, T> map, String key, T previous) {
        if (previous == null) {
            map.remove(key);
        } else {
            map.put(key, previous);
        }
    }

    @Override
    public Contents load() {
        Contents contents = read();
        collections.clear();
        persons.clear();
        contents.collections().forEach(c -> collections.put(c.id(), c));
        contents.persons().forEach(p -> persons.put(p.person().id(), p));
        return contents;
    }

    private Contents read() {
        if (!Files.exists(path)) {
            return new Contents(List.of(), List.of());
        }
        try {
            JsonNode root = json.readTree(path.toFile());
            String format = root.path("format").asText();
            boolean oldWithoutPersons = GalleryFormat.BEFORE_FACE_PIPELINE.equals(format) && root.path("persons").isEmpty();
            if (!GalleryFormat.CURRENT.equals(format) && !oldWithoutPersons) {
                // never rewritten: a newer build's file must survive an older build reading it
                throw GalleryFormat.refusal(describe(), format, root.path("persons").size() + " person(s)");
            }
            List<FaceCollection> collections = new ArrayList<>();
            for (JsonNode c : root.path("collections")) {
                collections.add(new FaceCollection(c.path("_id").asText(), c.path("code").asText(), c.path("name").asText(),
                        text(c, "description"), Instant.parse(c.path("createdAt").asText()),
                        Instant.parse(c.path("updatedAt").asText())));
            }
            List<EnrolledPerson> persons = new ArrayList<>();
            for (JsonNode p : root.path("persons")) {
                List<String> memberOf = new ArrayList<>();
                p.path("collections").forEach(n -> memberOf.add(n.asText()));
                List<Thumbnail> thumbnails = new ArrayList<>();
                p.path("thumbnails").forEach(t -> thumbnails.add(new Thumbnail(t.path("id").asText(), t.path("thumbnail").asText())));
                Person person = new Person(p.path("_id").asText(), p.path("name").asText(), text(p, "gender"),
                        text(p, "date_of_birth"), text(p, "nationality"), memberOf, text(p, "notes"), thumbnails,
                        Instant.parse(p.path("createdAt").asText()), Instant.parse(p.path("updatedAt").asText()));
                List<float[]> fast = new ArrayList<>();
                List<float[]> accurate = new ArrayList<>();
                for (JsonNode d : p.path("descriptors")) {
                    fast.add(floats(d.path("fast").asText()));
                    accurate.add(floats(d.path("accurate").asText()));
                }
                persons.add(new EnrolledPerson(person, fast, accurate));
            }
            return new Contents(collections, persons);
        } catch (ApiException e) {
            throw e; // the outdated-format refusal, already worded for the operator
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the gallery file " + path + " cannot be read", e);
        }
    }

    private void save() {
        ObjectNode root = json.createObjectNode();
        root.put("format", GalleryFormat.CURRENT);
        ArrayNode cs = root.putArray("collections");
        for (FaceCollection c : collections.values()) {
            ObjectNode n = cs.addObject();
            n.put("_id", c.id()).put("code", c.code()).put("name", c.name()).put("description", c.description())
                    .put("createdAt", c.createdAt().toString()).put("updatedAt", c.updatedAt().toString());
        }
        ArrayNode ps = root.putArray("persons");
        for (EnrolledPerson enrolled : persons.values()) {
            Person p = enrolled.person();
            ObjectNode n = ps.addObject();
            n.put("_id", p.id()).put("name", p.name()).put("gender", p.gender()).put("date_of_birth", p.dateOfBirth())
                    .put("nationality", p.nationality()).put("notes", p.notes())
                    .put("createdAt", p.createdAt().toString()).put("updatedAt", p.updatedAt().toString());
            ArrayNode memberOf = n.putArray("collections");
            p.collections().forEach(memberOf::add);
            ArrayNode thumbs = n.putArray("thumbnails");
            p.thumbnails().forEach(t -> thumbs.addObject().put("id", t.id()).put("thumbnail", t.thumbnail()));
            ArrayNode descriptors = n.putArray("descriptors");
            for (int i = 0; i < enrolled.fast().size(); i++) {
                descriptors.addObject().put("fast", base64(enrolled.fast().get(i)))
                        .put("accurate", base64(enrolled.accurate().get(i)));
            }
        }
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, ".gallery", ".tmp");
            json.writeValue(temp.toFile(), root);
            Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("the gallery file " + path + " cannot be written", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static String base64(float[] descriptor) {
        ByteBuffer buffer = ByteBuffer.allocate(descriptor.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : descriptor) {
            buffer.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    static float[] floats(String base64) {
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[buffer.remaining() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = buffer.getFloat();
        }
        return out;
    }
}
