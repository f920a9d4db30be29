package io.cropsearch.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Verifik's response envelope ({@code id}, {@code data}, {@code signature}) and the JSON shape of persons. */
public final class Envelope {
    private static final DateTimeFormatter SIGNATURE_TIME =
            DateTimeFormatter.ofPattern("MMMM d, yyyy h:mm a", Locale.ENGLISH);

    private Envelope() {
    }

    public static ObjectNode of(ObjectMapper json, JsonNode data) {
        ObjectNode envelope = json.createObjectNode();
        envelope.put("id", Gallery.newId().substring(0, 10).toUpperCase(Locale.ROOT));
        envelope.set("data", data);
        ObjectNode signature = envelope.putObject("signature");
        signature.put("message", "Certified by crop search (embedded engine)");
        signature.put("dateTime", ZonedDateTime.now(ZoneOffset.UTC).format(SIGNATURE_TIME));
        return envelope;
    }

    public static ObjectNode person(ObjectMapper json, Person p) {
        ObjectNode n = json.createObjectNode();
        n.put("_id", p.id());
        n.put("name", p.name());
        n.put("gender", p.gender());
        n.put("date_of_birth", p.dateOfBirth());
        n.put("nationality", p.nationality());
        ArrayNode thumbs = n.putArray("thumbnails");
        p.thumbnails().forEach(t -> thumbs.addObject().put("id", t.id()).put("thumbnail", t.thumbnail()));
        ArrayNode collections = n.putArray("collections");
        p.collections().forEach(collections::add);
        n.put("notes", p.notes());
        n.put("client", "local");
        n.put("status", "active");
        n.put("createdAt", p.createdAt().toString());
        n.put("updatedAt", p.updatedAt().toString());
        return n;
    }

    public static ObjectNode collection(ObjectMapper json, FaceCollection c) {
        ObjectNode n = json.createObjectNode();
        n.put("_id", c.id());
        n.put("code", c.code());
        n.put("name", c.name());
        n.put("description", c.description());
        n.put("client", "local");
        n.put("deleted", false);
        n.put("createdAt", c.createdAt().toString());
        n.put("updatedAt", c.updatedAt().toString());
        return n;
    }
}
