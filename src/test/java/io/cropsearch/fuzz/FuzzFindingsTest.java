package io.cropsearch.fuzz;

import io.cropsearch.errors.ApiException;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Inputs the fuzz targets found ({@code src/test/resources/fuzz/findings/}), replayed as plain tests with the
 * targets' contract. A finding in code the fuzz tests do not own stays {@link Disabled} with its report until the fix
 * lands; the fix enables it (and it fails without the fix).
 */
class FuzzFindingsTest {

    /**
     * A 725-byte WebP whose {@code VP8 } chunk declares 0x3c3c3c38 bytes: metadata-extractor's {@code RiffReader}
     * allocates the declared length ({@code StreamReader.getBytes}) before finding the data missing, so the header
     * check costs about 1 GB of heap per image (with a small heap it runs out of memory instead). The image must be
     * refused (409), within {@link FuzzContracts#allocationBudget}.
     */
    @Test
    @Disabled("open finding (issue 11, item 12 report): ImageInspector lets metadata-extractor allocate a WebP chunk's"
            + " declared length; enable with the fix")
    void webpChunkLengthBeyondTheFileIsRefusedCheaply() {
        byte[] webp = finding("webp-riff-chunk-1gb.webp");
        ApiException refused = assertThrows(ApiException.class,
                () -> FuzzContracts.validator().checkImageBytes("images[0]", webp));
        assertEquals(409, refused.status());
        assertDoesNotThrow(() -> FuzzContracts.imageHeader(webp), "within the allocation budget");
    }

    /**
     * A request whose base64 PNG (516 bytes) declares an IHDR chunk of 0x0200000d bytes: metadata-extractor's
     * {@code PngChunkReader} allocates 32 MiB for it (any length up to 2 GiB is taken the same way). Must be refused
     * (409) within the budget.
     */
    @Test
    @Disabled("open finding (issue 11, item 12 report): ImageInspector lets metadata-extractor allocate a PNG chunk's"
            + " declared length; enable with the fix")
    void pngChunkLengthBeyondTheFileIsRefusedCheaply() {
        byte[] body = finding("png-ihdr-length-32mb.json");
        ApiException refused = assertThrows(ApiException.class, () -> FuzzContracts.validator().validateJson(body));
        assertEquals(409, refused.status());
        assertDoesNotThrow(() -> FuzzContracts.requestJson(body), "within the allocation budget");
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
