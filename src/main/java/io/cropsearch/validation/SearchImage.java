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

        /** Keeps the caller's text for forwarding when it is canonical (what an encoder would write for the bytes). */
        Inline withBase64(String text) {
            return canonical(text) ? new Inline(bytes, text, format, width, height) : this;
        }

        // Forwarding the caller's text spares an encode of up to a megabyte per image on every search.
        @Override
        public String upstreamValue() {
            return base64 != null ? base64 : Base64.getEncoder().encodeToString(bytes);
        }

        /**
         * Java's decoder accepts non-zero bits in the unused end of the last group ("QR==" decodes like "QQ=="); a
         * strict upstream may not. Text the decoder accepted is canonical when its last group re-encodes to itself.
         */
        static boolean canonical(String text) {
            int n = text.length();
            if (n < 4 || text.charAt(n - 1) != '=') {
                return true;
            }
            String last = text.substring(n - 4);
            return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(last)).equals(last);
        }

        // The image itself stays out of logs and messages.
        @Override
        public String toString() {
            return "Inline[" + format + " " + width + "x" + height + ", " + bytes.length + " bytes]";
        }
    }

    record Remote(URI url) implements SearchImage {
        @Override
        public String upstreamValue() {
            return url.toString();
        }
    }
}
