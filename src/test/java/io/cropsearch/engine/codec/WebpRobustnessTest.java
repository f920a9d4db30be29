package io.cropsearch.engine.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Truncated, corrupt, oversized and animated WebP files end in an {@link ImageDecodeException} raised by the decoder
 * itself (not a wrapped {@code RuntimeException}: the decoder wraps unforeseen ones as a last resort, so a cause
 * would reveal a bug), never another exception or a hang.
 */
class WebpRobustnessTest {

    private static final String[] SMALL = {"lossy-q10", "lossy-alpha-q50", "lossless-four-colours", "lossless-z9"};
    /** Keeps memory small when a flipped size byte declares a large image. */
    private static final int MAX_SIDE = 1024;

    /** Decodes; returns the exception, or null when the bytes decoded. */
    private static ImageDecodeException attempt(byte[] b) {
        try {
            WebpDecoder.decode(b, MAX_SIDE);
            return null;
        } catch (ImageDecodeException e) {
            assertNull(e.getCause(), () -> "decoder bug surfaced as " + e.getCause());
            return e;
        }
    }

    @Test
    void everyPrefixIsRefused() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            int checked = 0;
            for (String name : SMALL) {
                byte[] file = WebpFixtures.webp(name);
                for (int n = 0; n < file.length; n++) {
                    ImageDecodeException e = attempt(Arrays.copyOf(file, n));
                    assertTrue(e != null, name + " cut to " + n + " bytes decoded");
                    checked++;
                }
            }
            assertEquals(768 + 2350 + 1018 + 14154, checked);
        });
    }

    /**
     * Prefixes whose RIFF and chunk sizes are patched to the cut: the container is consistent, so the truncation
     * reaches the bit-stream decoders. Lossless streams must be refused when at least 2 bytes are missing (the last
     * byte may hold only padding bits); lossy ones may decode what survived (the boolean decoder reads zeros a
     * byte past the end, as the RFC's does), but nothing else may happen.
     */
    @Test
    void truncatedBitStreamsFailCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            int refused = 0;
            int total = 0;
            for (String name : SMALL) {
                byte[] file = WebpFixtures.webp(name);
                boolean lossless = name.startsWith("lossless");
                int lastPayload = lastChunkPayload(file);
                // every cut of the small files; every 7th of the 14 KB one keeps the test at a few seconds
                int step = file.length > 4000 ? 7 : 1;
                for (int n = lastPayload; n < file.length; n += step) {
                    byte[] cut = Arrays.copyOf(file, n);
                    putU32(cut, 4, n - 8);
                    putU32(cut, lastPayload - 4, n - lastPayload);
                    ImageDecodeException e = attempt(cut);
                    total++;
                    if (e != null) {
                        refused++;
                    } else {
                        System.out.printf("%s with its stream cut by %d bytes decoded%n", name, file.length - n);
                    }
                    if (e == null && lossless && n <= file.length - 2) {
                        fail(name + " with its stream cut to " + (n - lastPayload) + " bytes decoded");
                    }
                }
            }
            System.out.printf("truncated bit streams: %d of %d refused%n", refused, total);
            assertTrue(refused > total * 9 / 10, refused + " of " + total);
        });
    }

    @Test
    void randomByteFlipsFailCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int f = 0; f < SMALL.length; f++) {
                byte[] original = WebpFixtures.webp(SMALL[f]);
                Random random = new Random(1000 + f);
                for (int i = 0; i < 300; i++) {
                    byte[] b = original.clone();
                    if (i % 2 == 0) {
                        for (int m = 0; m < 1 + random.nextInt(8); m++) {
                            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                        }
                    } else {
                        // headers are where sizes, modes and code lengths live
                        b[random.nextInt(Math.min(b.length, 120))] ^= (byte) (1 << random.nextInt(8));
                    }
                    try {
                        attempt(b);
                    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                        fail(SMALL[f] + " mutant " + i + " threw " + e, e);
                    }
                }
            }
        });
    }

    @Test
    void oversizedHeadersAreRefusedBeforeDecoding() {
        // Sizes are patched in headers of otherwise tiny files: the refusal must name the size, not the missing
        // data, so it came from the header check and not from a decoder that allocated and then ran out of bytes.
        byte[] lossy = WebpFixtures.webp("lossy-q75");
        putU16(lossy, 20 + 6, 9000); // VP8 frame header width
        assertSizeRefused(lossy);

        byte[] lossless = WebpFixtures.webp("lossless");
        // VP8L header: 8-bit signature then 14-bit width - 1 (bits 8..21)
        int bits = (lossless[21] & 0xFF) | (lossless[22] & 0xFF) << 8 | (lossless[23] & 0xFF) << 16;
        bits = (bits & ~0x3FFF) | (9000 - 1);
        lossless[21] = (byte) bits;
        lossless[22] = (byte) (bits >> 8);
        lossless[23] = (byte) (bits >> 16);
        assertSizeRefused(lossless);

        byte[] extended = WebpFixtures.webp("lossy-alpha");
        putU24(extended, 20 + 4, 9000 - 1); // VP8X canvas width - 1
        assertSizeRefused(extended);

        // within maxSide but beyond the pixel cap
        byte[] huge = WebpFixtures.webp("lossy-q75");
        putU16(huge, 20 + 6, 16000);
        putU16(huge, 20 + 8, 16000);
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> WebpDecoder.decode(huge, WebpDecoder.MAX_WEBP_SIDE));
        assertTrue(e.getMessage().contains("16000x16000 exceeds the limit of 40000000 pixels"), e.getMessage());
    }

    private static void assertSizeRefused(byte[] b) {
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> WebpDecoder.decode(b, 4096));
        assertTrue(e.getMessage().contains("9000x120 exceeds the limit of 4096 pixels per side"), e.getMessage());
    }

    @Test
    void animatedIsRefused() {
        byte[] animated = WebpFixtures.webp("animated");
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> WebpDecoder.decode(animated, WebpDecoder.MAX_WEBP_SIDE));
        assertEquals("animated WebP is not supported", e.getMessage());
        // also through the engine's entry point
        assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(animated));
    }

    /** Offset of the last chunk's payload (chunks are walked from the first after "WEBP"). */
    private static int lastChunkPayload(byte[] b) {
        int pos = 12;
        int last = -1;
        while (pos + 8 <= b.length) {
            int size = (b[pos + 4] & 0xFF) | (b[pos + 5] & 0xFF) << 8 | (b[pos + 6] & 0xFF) << 16 | (b[pos + 7] & 0xFF) << 24;
            last = pos + 8;
            pos += 8 + size + (size & 1);
        }
        return last;
    }

    private static void putU32(byte[] b, int pos, int v) {
        putU24(b, pos, v);
        b[pos + 3] = (byte) (v >>> 24);
    }

    private static void putU24(byte[] b, int pos, int v) {
        putU16(b, pos, v);
        b[pos + 2] = (byte) (v >> 16);
    }

    private static void putU16(byte[] b, int pos, int v) {
        b[pos] = (byte) v;
        b[pos + 1] = (byte) (v >> 8);
    }
}
