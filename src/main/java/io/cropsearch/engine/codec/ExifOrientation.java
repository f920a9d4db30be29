package io.cropsearch.engine.codec;

/**
 * The EXIF orientation tag (0x0112 in IFD0 of an APP1 "Exif" segment) and the turn it asks for. Phones store the
 * sensor's pixels and say in this tag how a viewer must turn them; the engine wants the face upright, as people see it.
 *
 * <p>Values (TIFF 6.0): 1 as stored, 2 mirrored left-right, 3 turned 180, 4 mirrored top-bottom, 5 transposed (mirror
 * + 270 clockwise), 6 turned 90 clockwise, 7 transversed (mirror + 90 clockwise), 8 turned 270 clockwise. Anything
 * else, or a malformed EXIF block, counts as 1: a broken tag must not make an otherwise good photo undecodable.
 */
final class ExifOrientation {

    private ExifOrientation() {
    }

    /**
     * The orientation in an APP1 segment's payload ({@code from} = first byte after the length, {@code len} bytes),
     * or 0 when the segment is not EXIF or has no valid orientation tag.
     */
    static int read(byte[] b, int from, int len) {
        int end = from + len;
        if (len < 14 || b[from] != 'E' || b[from + 1] != 'x' || b[from + 2] != 'i' || b[from + 3] != 'f'
                || b[from + 4] != 0 || b[from + 5] != 0) {
            return 0;
        }
        int tiff = from + 6;
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return 0;
        }
        if (u16(b, tiff + 2, little) != 42) {
            return 0;
        }
        long ifd = tiff + (u32(b, tiff + 4, little) & 0xFFFFFFFFL);
        if (ifd + 2 > end) {
            return 0;
        }
        int count = u16(b, (int) ifd, little);
        for (int i = 0; i < count; i++) {
            int e = (int) ifd + 2 + 12 * i;
            if (e + 12 > end) {
                return 0;
            }
            if (u16(b, e, little) == 0x0112) {
                // type SHORT (3), count 1: the value sits left-justified in the 4-byte value field
                if (u16(b, e + 2, little) != 3) {
                    return 0;
                }
                int v = u16(b, e + 8, little);
                return v >= 1 && v <= 8 ? v : 0;
            }
        }
        return 0;
    }

    /** The image as a viewer shows it for the given orientation (a new image; 1 and unknown values return it as is). */
    static Rgb apply(Rgb in, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return in;
        }
        int w = in.width();
        int h = in.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] src = in.pixels();
        byte[] out = new byte[src.length];
        int o = 0;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                // source pixel (sx, sy) shown at (x, y)
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                int s = (sy * w + sx) * 3;
                out[o++] = src[s];
                out[o++] = src[s + 1];
                out[o++] = src[s + 2];
            }
        }
        return new Rgb(ow, oh, out);
    }

    private static int u16(byte[] b, int p, boolean little) {
        int a = b[p] & 0xFF;
        int c = b[p + 1] & 0xFF;
        return little ? a | (c << 8) : (a << 8) | c;
    }

    private static int u32(byte[] b, int p, boolean little) {
        return little ? u16(b, p, true) | (u16(b, p + 2, true) << 16) : (u16(b, p, false) << 16) | u16(b, p + 2, false);
    }
}
