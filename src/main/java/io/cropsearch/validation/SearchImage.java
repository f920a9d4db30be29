package io.cropsearch.validation;

import java.net.URI;
import java.util.Base64;

/** One validated entry of {@code images}: either bytes we have inspected, or an https URL the upstream fetches. */
public sealed interface SearchImage {

    /** The string sent upstream: raw base64 (a {@code data:} prefix removed) or the URL. */
    String upstreamValue();

    record Inline(byte[] bytes, ImageFormat format, int width, int height) implements SearchImage {
        @Override
        public String upstreamValue() {
            return Base64.getEncoder().encodeToString(bytes);
        }
    }

    record Remote(URI url) implements SearchImage {
        @Override
        public String upstreamValue() {
            return url.toString();
        }
    }
}
