package io.cropsearch.validation;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caller's base64 text is forwarded upstream only when it is exactly what an encoder writes for the bytes. */
class SearchImageTest {

    @Test
    void textWithStrayBitsInItsLastGroupIsReEncoded() {
        // Java's decoder takes both; only "QQ==" and "QUE=" are what an encoder writes for "A" and "AA".
        for (String stray : new String[] {"QR==", "QUF=", "QUJDRB=="}) {
            byte[] bytes = Base64.getDecoder().decode(stray);
            SearchImage.Inline image = new SearchImage.Inline(bytes, ImageFormat.PNG, 1, 1).withBase64(stray);
            assertEquals(Base64.getEncoder().encodeToString(bytes), image.upstreamValue(), stray);
            assertArrayEquals(bytes, Base64.getDecoder().decode(image.upstreamValue()));
        }
        for (String canonical : new String[] {"QQ==", "QUE=", "QUJD", "QUJDRA=="}) {
            assertTrue(SearchImage.Inline.canonical(canonical), canonical);
        }
        assertFalse(SearchImage.Inline.canonical("QUJDRB=="));
    }

    @Test
    void canonicalTextIsForwardedAsItCame() {
        byte[] bytes = {1, 2, 3, 4, 5};
        String text = Base64.getEncoder().encodeToString(bytes);
        SearchImage.Inline image = new SearchImage.Inline(bytes, ImageFormat.JPEG, 16, 16).withBase64(text);
        assertEquals(text, image.base64());
        assertFalse(image.toString().contains(text), "the image stays out of toString: " + image);
    }
}
