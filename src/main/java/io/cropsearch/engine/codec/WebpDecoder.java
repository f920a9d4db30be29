package io.cropsearch.engine.codec;

/**
 * Pure-Java WebP decoder: the RIFF container (RFC 9649), lossless VP8L ({@link Vp8lDecoder}), lossy VP8 key frames
 * ({@link Vp8Decoder}, RFC 6386) and the extended format's {@code ALPH} alpha plane ({@link AlphaDecoder}).
 * libwebp's {@code dwebp} is the reference: lossless files decode to exactly its pixels, lossy ones to within a few
 * levels (docs/ENGINE.md, "WebP").
 *
 * <p>Transparency: the engine works on RGB, so a pixel with alpha {@code a} is composited onto white, the way an
 * image viewer shows a transparent background: {@code c' = (c * a + 255 * (255 - a) + 127) / 255} per channel
 * (integer division; opaque pixels keep their exact values, fully transparent ones become white).
 *
 * <p>Animated WebP is refused; so are files whose width or height exceeds {@code maxSide}, or with more than
 * {@link #MAX_PIXELS} pixels (checked on the header, before any pixel memory is allocated). Everything malformed
 * ends in an {@link ImageDecodeException}.
 */
public final class WebpDecoder {

    /** The largest side the format can express (VP8 and VP8L store 14-bit sizes). */
    public static final int MAX_WEBP_SIDE = 16383;

    /**
     * Whatever maxSide allows, at most this many pixels (as JpegDecoder): a few hundred bytes can declare a
     * 16383x16383 image, and its buffers would take about 2 GB.
     */
    static final long MAX_PIXELS = 40_000_000L;

    private static final int FLAG_ANIMATION = 0x02;

    private WebpDecoder() {
    }

    /** Decoded pixels before compositing: ARGB ints ({@code 0xAARRGGBB}), rows top to bottom. */
    record Argb(int width, int height, int[] pixels) {
    }

    /** True when the bytes start with a RIFF header of form type WEBP. */
    public static boolean isWebp(byte[] bytes) {
        return bytes != null && bytes.length >= 12 && fourCc(bytes, 0).equals("RIFF") && fourCc(bytes, 8).equals("WEBP");
    }

    /**
     * Decodes a still WebP image to RGB, compositing any transparency onto white.
     *
     * @param maxSide largest accepted width or height; larger images are refused before pixels are allocated
     */
    public static Rgb decode(byte[] webp, int maxSide) {
        Argb argb = decodeArgb(webp, maxSide);
        int[] px = argb.pixels();
        byte[] rgb = new byte[px.length * 3];
        for (int i = 0, o = 0; i < px.length; i++, o += 3) {
            int p = px[i];
            int a = p >>> 24;
            rgb[o] = (byte) over(p >> 16, a);
            rgb[o + 1] = (byte) over(p >> 8, a);
            rgb[o + 2] = (byte) over(p, a);
        }
        return new Rgb(argb.width(), argb.height(), rgb);
    }

    /** Channel {@code c} (low 8 bits used) with alpha {@code a} over white, rounded to nearest. */
    static int over(int c, int a) {
        if (a == 255) {
            return c & 0xFF;
        }
        return ((c & 0xFF) * a + 255 * (255 - a) + 127) / 255;
    }

    /** Decodes to ARGB without compositing (what dwebp writes as RGBA); for the tests and {@link #decode}. */
    static Argb decodeArgb(byte[] webp, int maxSide) {
        try {
            return decodeContainer(webp, maxSide);
        } catch (ImageDecodeException e) {
            throw e;
        } catch (RuntimeException e) {
            // A bug or an unforeseen corrupt input must still surface as "not decodable" to callers.
            throw new ImageDecodeException("corrupt WebP: " + e, e);
        }
    }

    private static Argb decodeContainer(byte[] b, int maxSide) {
        if (!isWebp(b)) {
            throw new ImageDecodeException("not a RIFF/WEBP file");
        }
        long riffEnd = 8 + u32(b, 4);
        if (riffEnd < 20) {
            throw new ImageDecodeException("RIFF size too small");
        }
        if (riffEnd > b.length) {
            throw new ImageDecodeException("truncated WebP: RIFF size " + (riffEnd - 8) + " beyond the data");
        }
        int end = (int) riffEnd;
        Chunk first = Chunk.at(b, 12, end);
        switch (first.fourCc) {
            case "VP8 ":
                return decodeLossy(b, first, null, -1, -1, maxSide);
            case "VP8L":
                return decodeLossless(b, first, -1, -1, maxSide);
            case "VP8X":
                return decodeExtended(b, first, end, maxSide);
            default:
                throw new ImageDecodeException("unexpected first WebP chunk '" + first.fourCc + "'");
        }
    }

    private static Argb decodeExtended(byte[] b, Chunk vp8x, int end, int maxSide) {
        if (vp8x.size < 10) {
            throw new ImageDecodeException("VP8X chunk too short");
        }
        int flags = b[vp8x.payload] & 0xFF;
        int width = 1 + u24(b, vp8x.payload + 4);
        int height = 1 + u24(b, vp8x.payload + 7);
        if ((flags & FLAG_ANIMATION) != 0) {
            throw new ImageDecodeException("animated WebP is not supported");
        }
        checkSize(width, height, maxSide);
        Chunk alpha = null;
        int pos = vp8x.next;
        while (pos < end) {
            if (end - pos < 8) {
                // libwebp ignores a few trailing bytes too short to be a chunk header; so do we
                break;
            }
            Chunk c = Chunk.at(b, pos, end);
            switch (c.fourCc) {
                case "ANIM":
                case "ANMF":
                    throw new ImageDecodeException("animated WebP is not supported");
                case "ALPH":
                    if (alpha == null) {
                        alpha = c;
                    }
                    break;
                case "VP8 ":
                    return decodeLossy(b, c, alpha, width, height, maxSide);
                case "VP8L":
                    // a lossless image carries its own alpha; an ALPH chunk next to it is ignored (as libwebp does)
                    return decodeLossless(b, c, width, height, maxSide);
                default:
                    break; // ICCP, EXIF, XMP and unknown chunks carry no pixels
            }
            pos = c.next;
        }
        throw new ImageDecodeException("WebP file without image data");
    }

    private static Argb decodeLossless(byte[] b, Chunk c, int canvasWidth, int canvasHeight, int maxSide) {
        Vp8lDecoder.Header h = Vp8lDecoder.readHeader(b, c.payload, c.size);
        checkSize(h.width(), h.height(), maxSide);
        checkCanvas(h.width(), h.height(), canvasWidth, canvasHeight);
        int[] px = Vp8lDecoder.decode(b, c.payload, c.size, h);
        return new Argb(h.width(), h.height(), px);
    }

    private static Argb decodeLossy(byte[] b, Chunk c, Chunk alpha, int canvasWidth, int canvasHeight, int maxSide) {
        Vp8Decoder.FrameSize size = Vp8Decoder.readFrameSize(b, c.payload, c.size);
        checkSize(size.width(), size.height(), maxSide);
        checkCanvas(size.width(), size.height(), canvasWidth, canvasHeight);
        int[] px = Vp8Decoder.decode(b, c.payload, c.size, size);
        if (alpha != null) {
            byte[] a = AlphaDecoder.decode(b, alpha.payload, alpha.size, size.width(), size.height());
            for (int i = 0; i < px.length; i++) {
                px[i] = (px[i] & 0x00FFFFFF) | ((a[i] & 0xFF) << 24);
            }
        }
        return new Argb(size.width(), size.height(), px);
    }

    private static void checkSize(int width, int height, int maxSide) {
        if (width > maxSide || height > maxSide) {
            throw new ImageDecodeException("WebP image " + width + "x" + height + " exceeds the limit of " + maxSide
                    + " pixels per side");
        }
        if ((long) width * height > MAX_PIXELS) {
            throw new ImageDecodeException("WebP image " + width + "x" + height + " exceeds the limit of " + MAX_PIXELS
                    + " pixels");
        }
    }

    private static void checkCanvas(int width, int height, int canvasWidth, int canvasHeight) {
        if (canvasWidth >= 0 && (width != canvasWidth || height != canvasHeight)) {
            throw new ImageDecodeException("WebP image " + width + "x" + height + " does not match its canvas "
                    + canvasWidth + "x" + canvasHeight);
        }
    }

    /** A chunk header: four-character code, payload offset and size, and where the next chunk starts (even-padded). */
    private static final class Chunk {
        final String fourCc;
        final int payload;
        final int size;
        final int next;

        private Chunk(String fourCc, int payload, int size, int next) {
            this.fourCc = fourCc;
            this.payload = payload;
            this.size = size;
            this.next = next;
        }

        static Chunk at(byte[] b, int pos, int end) {
            if (end - pos < 8) {
                throw new ImageDecodeException("truncated WebP chunk header");
            }
            long size = u32(b, pos + 4);
            long payloadEnd = pos + 8L + size;
            if (payloadEnd > end) {
                throw new ImageDecodeException("truncated WebP: chunk '" + fourCc(b, pos) + "' of " + size
                        + " bytes runs past the file");
            }
            // The pad byte after an odd-sized payload may be missing at the very end; nothing follows then anyway.
            long next = Math.min(payloadEnd + (size & 1), end);
            return new Chunk(fourCc(b, pos), pos + 8, (int) size, (int) next);
        }
    }

    private static String fourCc(byte[] b, int pos) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            c[i] = (char) (b[pos + i] & 0xFF);
        }
        return new String(c);
    }

    private static long u32(byte[] b, int pos) {
        return (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (long) (b[pos + 3] & 0xFF) << 24;
    }

    private static int u24(byte[] b, int pos) {
        return (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16;
    }
}
