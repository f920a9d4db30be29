package io.cropsearch.fuzz;

import io.cropsearch.errors.ApiException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs the fuzz targets found ({@code src/test/resources/fuzz/findings/}), replayed as plain tests with the
 * targets' contract. Each failed before its fix (checked): chunk lengths beyond the file are refused before
 * metadata-extractor allocates them (ImageHeaders.overlong), and a number Jackson cannot hold is a malformed body.
 */
class FuzzFindingsTest {

    /**
     * WebPs whose chunk declares more bytes than the file has: a 725-byte file whose {@code VP8 } chunk declares
     * 0x3c3c3c38 bytes, and a 1589-byte {@code VP8X} file with a {@code VP8L} chunk of about 1.2 GB. metadata-extractor's
     * {@code RiffReader} allocates the declared length ({@code StreamReader.getBytes}) before finding the data missing,
     * so the header check costs 1-1.3 GB of heap per image (with a small heap, metadata-extractor's read fails
     * instead). Each must be refused (409) within {@link FuzzContracts#allocationBudget}.
     */
    @Test
    void webpChunkLengthBeyondTheFileIsRefusedCheaply() {
        for (String name : new String[] {"webp-riff-chunk-1gb.webp", "webp-vp8x-vp8l-chunk-1gb.webp"}) {
            byte[] webp = finding(name);
            ApiException refused = assertThrows(ApiException.class,
                    () -> FuzzContracts.validator().checkImageBytes("images[0]", webp), name);
            assertEquals(409, refused.status(), name);
            assertDoesNotThrow(() -> FuzzContracts.imageHeader(webp), name + " within the allocation budget");
        }
    }

    /**
     * The same through a request body: a base64 PNG (516 bytes) whose IHDR chunk declares 0x0200000d bytes
     * (metadata-extractor's {@code PngChunkReader} allocates 32 MiB; a declared 2^30 costs 1 GiB and 4 s), and a
     * 96-byte WebP data URI whose {@code VP8 } chunk declares 0x0a000238 bytes (160 MB). Each must be refused (409)
     * within the budget.
     */
    @Test
    void chunkLengthBeyondTheImageInARequestIsRefusedCheaply() {
        for (String name : new String[] {"png-ihdr-length-32mb.json", "webp-data-uri-riff-chunk-160mb.json"}) {
            byte[] body = finding(name);
            ApiException refused = assertThrows(ApiException.class, () -> FuzzContracts.validator().validateJson(body),
                    name);
            assertEquals(409, refused.status(), name);
            assertDoesNotThrow(() -> FuzzContracts.requestJson(body), name + " within the allocation budget");
        }
    }

    /**
     * A number whose exponent has too many digits ({@code 1e4002222222222222}), as the whole body or as a field's
     * value: Jackson's {@code BigDecimalParser} (the validator reads floats as {@code BigDecimal}) throws a
     * {@link NumberFormatException}, which is neither the {@code JsonProcessingException} nor the
     * {@code IOException} {@code CropSearchValidator.parseObject} turns into a 400, so it leaves the validator as an
     * unexpected exception (the generic mapper's 500). Must be a 4xx.
     */
    @Test
    void numberWithAHugeExponentIsA4xx() {
        for (String name : new String[] {"json-root-number-huge-exponent.json", "json-root-array-huge-exponent.json",
                "json-min-score-huge-exponent.json"}) {
            byte[] body = finding(name);
            ApiException refused = assertThrows(ApiException.class, () -> FuzzContracts.validator().validateJson(body),
                    name);
            assertTrue(refused.status() >= 400 && refused.status() < 500, name + ": " + refused.status());
            assertDoesNotThrow(() -> FuzzContracts.requestJson(body), name);
        }
    }

    static byte[] finding(String name) {
        try (InputStream in = FuzzFindingsTest.class.getResourceAsStream("/fuzz/findings/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
