package io.cropsearch.engine.codec;

/**
 * Decoded JPEG component planes to interleaved RGB. Chroma is upsampled by pixel replication, as jpeg-js does.
 *
 * <ul>
 *   <li>1 component: grey.</li>
 *   <li>3 components: YCbCr with the JFIF equations, unless an Adobe APP14 marker says transform 0 (stored RGB).</li>
 *   <li>4 components: CMYK, or YCCK when the Adobe marker says transform 2 (YCbCr to R'G'B' by the JFIF equations,
 *       then C = 255 - R', M = 255 - G', Y = 255 - B', K as stored). With an Adobe marker the values are Adobe's
 *       inverted CMYK (255 = no ink), as Photoshop writes them, and {@code R = C * K / 255} (likewise G from M, B from
 *       Y). Without one they are plain ink amounts, and {@code R = (255 - C) * (255 - K) / 255}. No ICC profile is
 *       applied: this is the naive formula jpeg-js uses, good enough to find a face, not for colour-managed print.</li>
 * </ul>
 */
final class JpegColor {

    /** One decoded component: {@code stride} samples per row; h and v its sampling factors. */
    record Plane(byte[] samples, int stride, int h, int v) {
    }

    private JpegColor() {
    }

    /** {@code adobeTransform}: -1 without an Adobe APP14 marker, else its transform code (0, 1 or 2). */
    static Rgb toRgb(Plane[] planes, int width, int height, int maxH, int maxV, int adobeTransform) {
        byte[] out = new byte[width * height * 3];
        switch (planes.length) {
            case 1 -> grey(planes[0], width, height, out);
            case 3 -> three(planes, width, height, maxH, maxV, adobeTransform != 0, out);
            case 4 -> four(planes, width, height, maxH, maxV, adobeTransform, out);
            default -> throw new ImageDecodeException("JPEG with " + planes.length + " components is not supported");
        }
        return new Rgb(width, height, out);
    }

    private static void grey(Plane g, int width, int height, byte[] out) {
        for (int y = 0; y < height; y++) {
            int row = y * g.stride;
            for (int x = 0; x < width; x++) {
                byte v = g.samples[row + x];
                int o = (y * width + x) * 3;
                out[o] = v;
                out[o + 1] = v;
                out[o + 2] = v;
            }
        }
    }

    private static void three(Plane[] p, int width, int height, int maxH, int maxV, boolean ycc, byte[] out) {
        Plane c0 = p[0];
        Plane c1 = p[1];
        Plane c2 = p[2];
        int o = 0;
        for (int y = 0; y < height; y++) {
            int r0 = (y * c0.v / maxV) * c0.stride;
            int r1 = (y * c1.v / maxV) * c1.stride;
            int r2 = (y * c2.v / maxV) * c2.stride;
            for (int x = 0; x < width; x++) {
                int a = c0.samples[r0 + x * c0.h / maxH] & 0xFF;
                int b = c1.samples[r1 + x * c1.h / maxH] & 0xFF;
                int d = c2.samples[r2 + x * c2.h / maxH] & 0xFF;
                if (ycc) {
                    // JFIF YCbCr -> RGB; truncation after clamping matches jpeg-js's Uint8Array store
                    double cb = b - 128;
                    double cr = d - 128;
                    out[o] = clamp(a + 1.402 * cr);
                    out[o + 1] = clamp(a - 0.3441363 * cb - 0.71413636 * cr);
                    out[o + 2] = clamp(a + 1.772 * cb);
                } else {
                    out[o] = (byte) a;
                    out[o + 1] = (byte) b;
                    out[o + 2] = (byte) d;
                }
                o += 3;
            }
        }
    }

    private static void four(Plane[] p, int width, int height, int maxH, int maxV, int adobeTransform, byte[] out) {
        boolean ycck = adobeTransform == 2;
        boolean inverted = adobeTransform >= 0;
        int o = 0;
        int[] s = new int[4];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 4; c++) {
                    Plane q = p[c];
                    s[c] = q.samples[(y * q.v / maxV) * q.stride + x * q.h / maxH] & 0xFF;
                }
                int c0 = s[0];
                int c1 = s[1];
                int c2 = s[2];
                int k = s[3];
                if (ycck) {
                    double cb = c1 - 128;
                    double cr = c2 - 128;
                    int r = clamp(c0 + 1.402 * cr) & 0xFF;
                    int g = clamp(c0 - 0.3441363 * cb - 0.71413636 * cr) & 0xFF;
                    int b = clamp(c0 + 1.772 * cb) & 0xFF;
                    c0 = 255 - r;
                    c1 = 255 - g;
                    c2 = 255 - b;
                }
                if (!inverted) {
                    c0 = 255 - c0;
                    c1 = 255 - c1;
                    c2 = 255 - c2;
                    k = 255 - k;
                }
                out[o] = (byte) (c0 * k / 255);
                out[o + 1] = (byte) (c1 * k / 255);
                out[o + 2] = (byte) (c2 * k / 255);
                o += 3;
            }
        }
    }

    private static byte clamp(double v) {
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : (int) v);
    }
}
