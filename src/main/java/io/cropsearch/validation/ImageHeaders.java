package io.cropsearch.validation;

/**
 * Walks an image's container structure (JPEG markers, PNG chunks, WebP RIFF chunks) without decoding a pixel, to find
 * headers that disagree about the image's size. The size check reads one header; a decoder, the upstream's or ours,
 * may size its buffers from another (a 16x16 first frame header in front of a 6000x6000 frame). Such a file is
 * refused outright rather than trusting either header.
 *
 * <p>The walk is at least as thorough as the decoders': it steps over junk between JPEG segments as they do, and it
 * reads the whole file, not only up to the first scan. Truncated or malformed structure is left to the other checks;
 * only disagreement is reported here. Cost: one pass over the bytes, no pixel memory.
 */
final class ImageHeaders {
    private ImageHeaders() {
    }

    /** True when the image's headers contradict each other (see the per-format methods). */
    static boolean conflicting(ImageFormat format, byte[] b) {
        return switch (format) {
            case JPEG -> jpegConflicting(b);
            case PNG -> pngConflicting(b);
            case WEBP -> webpConflicting(b);
        };
    }

    /**
     * A JPEG (one image, not hierarchical) has exactly one frame header (SOFn), before its first scan (SOS). Two frame
     * headers, or one after a scan, describe two sizes. The walk ends at EOI: what follows belongs to other images
     * (MPF and gain-map secondary images on phone photos) that no decoder reads as this one.
     */
    static boolean jpegConflicting(byte[] b) {
        int pos = 2; // after SOI
        int frames = 0;
        boolean scanned = false;
        while (pos < b.length) {
            // Junk between segments is skipped (as decoders do), so a frame header cannot hide behind it.
            while (pos < b.length && (b[pos] & 0xFF) != 0xFF) {
                pos++;
            }
            while (pos < b.length && (b[pos] & 0xFF) == 0xFF) {
                pos++;
            }
            if (pos >= b.length) {
                break;
            }
            int marker = b[pos++] & 0xFF;
            if (marker == 0xD9) {
                break; // EOI
            }
            if (marker == 0x00 || marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
                continue; // stuffed byte, TEM, RSTn, SOI: no segment follows
            }
            if (pos + 2 > b.length) {
                break;
            }
            int length = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            if (isFrameHeader(marker)) {
                frames++;
                if (frames > 1 || scanned) {
                    return true;
                }
            }
            pos += Math.max(length, 2);
            if (marker == 0xDA) {
                scanned = true;
                pos = afterEntropyCodedData(b, pos);
            }
        }
        return false;
    }

    /** SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** Where the marker after a scan's entropy-coded data starts (FF 00 is a stuffed byte, FF D0-D7 a restart). */
    private static int afterEntropyCodedData(byte[] b, int pos) {
        while (pos + 1 < b.length) {
            if ((b[pos] & 0xFF) == 0xFF) {
                int next = b[pos + 1] & 0xFF;
                if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                    return pos;
                }
            }
            pos++;
        }
        return b.length;
    }

    /**
     * True when a PNG chunk or a WebP chunk (or the RIFF container) declares more bytes than the file holds. Such a
     * file is truncated or lying, and the header reader would allocate what it declares before finding out (a
     * 700-byte WebP declaring a 1 GB chunk, found by fuzzing): refused before that reader sees it.
     */
    static boolean overlong(ImageFormat format, byte[] b) {
        return switch (format) {
            case JPEG -> false; // segment lengths are 16-bit: nothing large to allocate
            case PNG -> pngOverlong(b);
            case WEBP -> webpOverlong(b);
        };
    }

    private static boolean pngOverlong(byte[] b) {
        long pos = 8;
        while (pos + 8 <= b.length) {
            int at = (int) pos;
            long next = pos + 12 + u32be(b, at);
            if (next > b.length) {
                return true;
            }
            if (isType(b, at + 4, "IEND")) {
                break;
            }
            pos = next;
        }
        return false;
    }

    private static boolean webpOverlong(byte[] b) {
        if (b.length < 12 || u32le(b, 4) + 8 > b.length) {
            return true;
        }
        long pos = 12;
        while (pos + 8 <= b.length) {
            long size = u32le(b, (int) pos + 4);
            long next = pos + 8 + size + (size & 1);
            if (pos + 8 + size > b.length) {
                return true;
            }
            pos = next;
        }
        return false;
    }

    /** A PNG starts with its one IHDR chunk; an IHDR elsewhere, or a second one, is a second opinion on the size. */
    static boolean pngConflicting(byte[] b) {
        long pos = 8; // after the signature
        boolean first = true;
        while (pos + 8 <= b.length) {
            int at = (int) pos;
            boolean ihdr = isType(b, at + 4, "IHDR");
            if (first != ihdr) {
                return true; // IHDR not first, or a second IHDR
            }
            if (isType(b, at + 4, "IEND")) {
                break;
            }
            first = false;
            pos += 12 + u32be(b, at); // length, type, data, CRC
        }
        return false;
    }

    private static boolean isType(byte[] b, int p, String type) {
        return b[p] == type.charAt(0) && b[p + 1] == type.charAt(1) && b[p + 2] == type.charAt(2)
                && b[p + 3] == type.charAt(3);
    }

    /**
     * A WebP holds one VP8 or VP8L bitstream. In the extended format a VP8X chunk comes first and states the canvas
     * size, which must equal the bitstream's own frame size; a second VP8X or bitstream, or a VP8X that is not first,
     * conflicts. Chunks are walked to the end of the data, not only of the RIFF size, so nothing hides past it.
     */
    static boolean webpConflicting(byte[] b) {
        int pos = 12; // after RIFF, size, WEBP
        int canvasWidth = -1;
        int canvasHeight = -1;
        int bitstreams = 0;
        boolean first = true;
        while ((long) pos + 8 <= b.length) {
            String fourCc = new String(b, pos, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            long size = u32le(b, pos + 4);
            int payload = pos + 8;
            long available = Math.min(size, b.length - (long) payload);
            switch (fourCc) {
                case "VP8X" -> {
                    if (!first) {
                        return true;
                    }
                    if (available >= 10) {
                        canvasWidth = 1 + u24le(b, payload + 4);
                        canvasHeight = 1 + u24le(b, payload + 7);
                    }
                }
                case "VP8 ", "VP8L" -> {
                    if (++bitstreams > 1) {
                        return true;
                    }
                    int[] frame = fourCc.equals("VP8 ")
                            ? vp8Size(b, payload, available) : vp8lSize(b, payload, available);
                    if (frame != null && canvasWidth > 0 && (frame[0] != canvasWidth || frame[1] != canvasHeight)) {
                        return true;
                    }
                }
                default -> {
                    // ICCP, ALPH, ANIM, ANMF, EXIF, XMP and unknown chunks state no size of the still image
                }
            }
            first = false;
            long next = payload + size + (size & 1); // chunks are padded to an even size
            if (next > b.length) {
                break;
            }
            pos = (int) next;
        }
        return false;
    }

    /** A VP8 key frame's size (14 bits each, after the 3-byte frame tag and the start code), or null. */
    private static int[] vp8Size(byte[] b, int p, long available) {
        if (available < 10 || (b[p] & 0x01) != 0 || (b[p + 3] & 0xFF) != 0x9D || (b[p + 4] & 0xFF) != 0x01
                || (b[p + 5] & 0xFF) != 0x2A) {
            return null;
        }
        return new int[] {u16le(b, p + 6) & 0x3FFF, u16le(b, p + 8) & 0x3FFF};
    }

    /** A VP8L bitstream's size (signature 0x2F, then 14-bit width-1 and height-1), or null. */
    private static int[] vp8lSize(byte[] b, int p, long available) {
        if (available < 5 || (b[p] & 0xFF) != 0x2F) {
            return null;
        }
        long bits = u32le(b, p + 1);
        return new int[] {1 + (int) (bits & 0x3FFF), 1 + (int) ((bits >>> 14) & 0x3FFF)};
    }

    private static long u32be(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    private static long u32le(byte[] b, int p) {
        return ((long) (b[p + 3] & 0xFF) << 24) | ((b[p + 2] & 0xFF) << 16) | ((b[p + 1] & 0xFF) << 8) | (b[p] & 0xFF);
    }

    private static int u24le(byte[] b, int p) {
        return ((b[p + 2] & 0xFF) << 16) | ((b[p + 1] & 0xFF) << 8) | (b[p] & 0xFF);
    }

    private static int u16le(byte[] b, int p) {
        return ((b[p + 1] & 0xFF) << 8) | (b[p] & 0xFF);
    }
}
