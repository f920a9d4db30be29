package io.cropsearch.validation;

import java.net.URI;
import java.util.Base64;

/** One validated entry of {@code images}: either bytes we have inspected, or an https URL the upstream fetches. */
public sealed interface SearchImage {

    /** The string sent upstream: raw base64 (a {@code data:} prefix removed) or the URL. */
    String upstreamValue();

    /** @param base64 the caller's own base64 text of {@code bytes} (already checked by decoding it), or null */
    record Inline(byte[] bytes, String base64, ImageFormat format, int width, int height) implements SearchImage {
        public Inline(byte[] bytes, ImageFormat format, int width, int height) {
            this(bytes, null, format, width, height);
        }

        Inline withBase64(String text) {
            return new Inline(bytes, text, format, width, height);
        }

        // Forwarding the caller's text spares an encode of up to a megabyte per image on every search.
        @Override
        public String upstreamValue() {
            return base64 != null ? base64 : Base64.getEncoder().encodeToString(bytes);
        }
    }

    record Remote(URI url) implements SearchImage {
        @Override
        public String upstreamValue() {
            return url.toString();
        }
    }
}
