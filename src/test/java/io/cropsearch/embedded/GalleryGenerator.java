package io.cropsearch.embedded;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.engine.codec.JpegEncoder;
import io.cropsearch.engine.codec.Rgb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a synthetic embedded gallery file of N persons in the format {@link FileGalleryStore} reads, for start-up
 * and load measurements (tools/evidence/startup.sh, the 10,000-person variant). Each person has what an enrolment
 * leaves: one image's FAST and ACCURATE descriptors (128 floats each), a 64x64 JPEG thumbnail of its own, two
 * collections out of ten, a name and a date of birth. The descriptors are random (seeded), so the file has the size
 * and parsing cost of a real gallery of that many persons, not its matches.
 *
 * <p>Usage: {@code GalleryGenerator <out.json> [persons (10000)] [seed (1)]}; see tools/startup/make-gallery.sh.
 */
public final class GalleryGenerator {
    static final int DESCRIPTOR = 128;
    static final int COLLECTIONS = 10;

    private GalleryGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int persons = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        long started = System.nanoTime();
        write(out, persons, seed);
        System.out.printf(Locale.ROOT, "%s: %d persons, %d MB, written in %d ms%n", out, persons,
                Files.size(out) >> 20, (System.nanoTime() - started) / 1_000_000);
    }

    static void write(Path out, int persons, long seed) throws IOException {
        Random random = new Random(seed);
        Instant created = Instant.parse("2026-11-01T00:00:00Z");
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (JsonGenerator json = new ObjectMapper().getFactory().createGenerator(out.toFile(), JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("format", GalleryFormat.CURRENT);
            json.writeArrayFieldStart("collections");
            for (int c = 0; c < COLLECTIONS; c++) {
                json.writeStartObject();
                json.writeStringField("_id", id(random));
                json.writeStringField("code", new java.util.UUID(random.nextLong(), random.nextLong()).toString());
                json.writeStringField("name", "collection-" + c);
                json.writeStringField("description", "generated");
                json.writeStringField("createdAt", created.toString());
                json.writeStringField("updatedAt", created.toString());
                json.writeEndObject();
            }
            json.writeEndArray();
            // The collection ids again, in order, to put persons into them (same seed, same sequence).
            Random again = new Random(seed);
            String[] collectionIds = new String[COLLECTIONS];
            for (int c = 0; c < COLLECTIONS; c++) {
                collectionIds[c] = id(again);
                again.nextLong();
                again.nextLong();
            }
            json.writeArrayFieldStart("persons");
            for (int p = 0; p < persons; p++) {
                Instant at = created.plusSeconds(p);
                json.writeStartObject();
                json.writeStringField("_id", id(random));
                json.writeStringField("name", "person-" + p);
                json.writeStringField("gender", p % 2 == 0 ? "F" : "M");
                json.writeStringField("date_of_birth", String.format(Locale.ROOT, "19%02d-%02d-%02d", 50 + p % 50,
                        1 + p % 12, 1 + p % 28));
                json.writeNullField("nationality");
                json.writeNullField("notes");
                json.writeStringField("createdAt", at.toString());
                json.writeStringField("updatedAt", at.toString());
                json.writeArrayFieldStart("collections");
                json.writeString(collectionIds[p % COLLECTIONS]);
                json.writeString(collectionIds[(p / COLLECTIONS + 1 + p) % COLLECTIONS]);
                json.writeEndArray();
                json.writeArrayFieldStart("thumbnails");
                json.writeStartObject();
                json.writeStringField("id", id(random));
                json.writeStringField("thumbnail", Base64.getEncoder().encodeToString(thumbnail(random)));
                json.writeEndObject();
                json.writeEndArray();
                json.writeArrayFieldStart("descriptors");
                json.writeStartObject();
                json.writeStringField("fast", FileGalleryStore.base64(descriptor(random)));
                json.writeStringField("accurate", FileGalleryStore.base64(descriptor(random)));
                json.writeEndObject();
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static String id(Random random) {
        byte[] id = new byte[12];
        random.nextBytes(id);
        return java.util.HexFormat.of().formatHex(id);
    }

    /** Roughly the spread of face-api.js descriptors: components around 0 with a norm near 1. */
    private static float[] descriptor(Random random) {
        float[] d = new float[DESCRIPTOR];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (random.nextGaussian() / Math.sqrt(DESCRIPTOR));
        }
        return d;
    }

    /** A 64x64 JPEG like the enrolment's thumbnails: a smooth face-toned blob plus noise, so it compresses alike. */
    private static byte[] thumbnail(Random random) {
        byte[] pixels = new byte[64 * 64 * 3];
        int tone = 60 + random.nextInt(120);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                double dx = (x - 32) / 24.0;
                double dy = (y - 30) / 28.0;
                double face = Math.max(0, 1 - dx * dx - dy * dy);
                int base = (int) (40 + tone * face) + (int) (random.nextGaussian() * 8);
                int i = (y * 64 + x) * 3;
                pixels[i] = (byte) Math.max(0, Math.min(255, base + 30));
                pixels[i + 1] = (byte) Math.max(0, Math.min(255, base + 10));
                pixels[i + 2] = (byte) Math.max(0, Math.min(255, base));
            }
        }
        return JpegEncoder.encode(new Rgb(64, 64, pixels), 80, JpegEncoder.Chroma.YCBCR_420);
    }
}
