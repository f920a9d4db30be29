package io.cropsearch.engine.codec;

import io.cropsearch.engine.Fixtures;

import java.nio.charset.StandardCharsets;

/**
 * The WebP fixtures of tools/reference/make-webp-fixtures.sh: {@code NAME.webp} and libwebp's decode of it,
 * {@code NAME.pam} (dwebp -pam: a text header, then RGBA bytes).
 */
final class WebpFixtures {

    private WebpFixtures() {
    }

    static byte[] webp(String name) {
        return Fixtures.bytes("codec/webp/" + name + ".webp");
    }

    /** dwebp's decode as ARGB ints, with its size. */
    static WebpDecoder.Argb reference(String name) {
        byte[] pam = Fixtures.bytes("codec/webp/" + name + ".pam");
        int headerEnd = indexOf(pam, "ENDHDR\n") + "ENDHDR\n".length();
        String header = new String(pam, 0, headerEnd, StandardCharsets.US_ASCII);
        int width = field(header, "WIDTH");
        int height = field(header, "HEIGHT");
        if (field(header, "DEPTH") != 4 || field(header, "MAXVAL") != 255) {
            throw new IllegalStateException("expected an RGBA PAM: " + header);
        }
        int[] px = new int[width * height];
        for (int i = 0; i < px.length; i++) {
            int o = headerEnd + i * 4;
            px[i] = (pam[o + 3] & 0xFF) << 24 | (pam[o] & 0xFF) << 16 | (pam[o + 1] & 0xFF) << 8 | (pam[o + 2] & 0xFF);
        }
        return new WebpDecoder.Argb(width, height, px);
    }

    private static int field(String header, String name) {
        for (String line : header.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Integer.parseInt(line.substring(name.length() + 1).trim());
            }
        }
        throw new IllegalStateException("no " + name + " in PAM header");
    }

    private static int indexOf(byte[] data, String marker) {
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + m.length <= data.length; i++) {
            for (int j = 0; j < m.length; j++) {
                if (data[i + j] != m[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("no " + marker.trim() + " in PAM");
    }
}
