package io.cropsearch.engine.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PNG to {@link Rgb}: every standard colour type and bit depth (grey 1/2/4/8/16, palette 1/2/4/8, RGB, grey+alpha and
 * RGBA at 8/16), plain or Adam7 interlaced, with tRNS transparency.
 *
 * <ul>
 *   <li>16-bit samples become {@code round(v * 255 / 65535)}, low-depth grey {@code v * 255 / (2^depth - 1)}, as
 *       pngjs scales them.</li>
 *   <li>Transparency (an alpha channel, a palette's tRNS alphas, or the one tRNS colour of grey/RGB images) is
 *       composited on <b>white</b>, what a viewer shows for a transparent background:
 *       {@code out = (c * a + 255 * (255 - a) + 127) / 255} on 8-bit values. Opaque pixels keep their stored
 *       colour exactly.</li>
 *   <li>Ancillary chunks (gamma, ICC, text) do not change the stored colour values and are skipped; CRCs are not
 *       checked (a broken CRC on intact data still decodes, as in browsers).</li>
 * </ul>
 *
 * <p>A width or height above the caller's maximum is refused from the header, before any image data is inflated or a
 * pixel buffer allocated, and so is a second IHDR. Pure Java (java.util.zip), so it works in a native image.
 */
public final class PngDecoder {

    /** The largest side {@link #decode(byte[])} accepts. */
    public static final int DEFAULT_MAX_SIDE = 4096;

    // Adam7 passes: first column, first row, column step, row step
    private static final int[][] ADAM7 = {
        {0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};

    private PngDecoder() {
    }

    /** Decodes with {@link #DEFAULT_MAX_SIDE} as the largest width or height accepted. */
    public static Rgb decode(byte[] png) {
        return decode(png, DEFAULT_MAX_SIDE);
    }

    /** Decodes a PNG whose width and height are at most {@code maxSide}; anything else throws ImageDecodeException. */
    public static Rgb decode(byte[] png, int maxSide) {
        if (maxSide < 1) {
            throw new IllegalArgumentException("maxSide must be positive: " + maxSide);
        }
        try {
            return decodeChecked(png, maxSide);
        } catch (ArrayIndexOutOfBoundsException | DataFormatException e) {
            throw new ImageDecodeException("corrupt PNG: " + e.getMessage(), e);
        }
    }

    /** What IHDR, PLTE and tRNS say about how to read the samples. */
    private static final class Header {
        int width;
        int height;
        int depth;
        int colorType;
        boolean interlaced;
        int channels;
        byte[] palette;
        int[] paletteAlpha; // 255 where tRNS says nothing
        int[] transparentColour; // grey or RGB sample values (at full depth) that mean "transparent"
    }

    private static Rgb decodeChecked(byte[] b, int maxSide) throws DataFormatException {
        if (b.length < 8 || (b[0] & 0xFF) != 0x89 || b[1] != 'P' || b[2] != 'N' || b[3] != 'G') {
            throw new ImageDecodeException("not a PNG");
        }
        int pos = 8;
        Header hd = null;
        byte[] trns = null;
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        while (true) {
            if (pos + 8 > b.length) {
                throw new ImageDecodeException("truncated PNG (no IEND)");
            }
            int len = readInt(b, pos);
            String type = new String(b, pos + 4, 4, StandardCharsets.US_ASCII);
            int data = pos + 8;
            if (len < 0 || data + len > b.length) {
                throw new ImageDecodeException("truncated PNG chunk " + type);
            }
            if (hd == null && !type.equals("IHDR")) {
                throw new ImageDecodeException("PNG does not start with IHDR");
            }
            switch (type) {
                case "IHDR" -> {
                    if (hd != null) {
                        throw new ImageDecodeException("PNG with two IHDR chunks");
                    }
                    if (len < 13) {
                        throw new ImageDecodeException("short PNG IHDR");
                    }
                    hd = readHeader(b, data, maxSide);
                }
                case "PLTE" -> {
                    hd.palette = new byte[len];
                    System.arraycopy(b, data, hd.palette, 0, len);
                }
                case "tRNS" -> {
                    trns = new byte[len];
                    System.arraycopy(b, data, trns, 0, len);
                }
                case "IDAT" -> idat.write(b, data, len);
                default -> {
                    // ancillary chunks (gamma, text, ...) do not change the stored colour values
                }
            }
            pos = data + len + 4;
            if (type.equals("IEND")) {
                break;
            }
        }
        if (hd.colorType == 3 && hd.palette == null) {
            throw new ImageDecodeException("palette PNG without PLTE");
        }
        applyTransparency(hd, trns);
        return pixels(hd, idat.toByteArray());
    }

    private static Header readHeader(byte[] b, int data, int maxSide) {
        Header hd = new Header();
        hd.width = readInt(b, data);
        hd.height = readInt(b, data + 4);
        hd.depth = b[data + 8] & 0xFF;
        hd.colorType = b[data + 9] & 0xFF;
        if (hd.width <= 0 || hd.height <= 0) {
            throw new ImageDecodeException("PNG without a valid size");
        }
        if (hd.width > maxSide || hd.height > maxSide) {
            throw new ImageDecodeException("PNG too large: " + hd.width + "x" + hd.height + " (largest side allowed "
                    + maxSide + ")");
        }
        if ((long) hd.width * hd.height * 3 > Integer.MAX_VALUE - 64) {
            // the RGB output is one array; a caller's maxSide above ~26000 must not overflow it
            throw new ImageDecodeException("PNG too large: " + hd.width + "x" + hd.height
                    + " (more pixels than one array holds)");
        }
        if (b[data + 10] != 0 || b[data + 11] != 0) {
            throw new ImageDecodeException("unsupported PNG compression or filter method");
        }
        int interlace = b[data + 12];
        if (interlace != 0 && interlace != 1) {
            throw new ImageDecodeException("unknown PNG interlace method " + interlace);
        }
        hd.interlaced = interlace == 1;
        hd.channels = switch (hd.colorType) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw new ImageDecodeException("unsupported PNG colour type " + hd.colorType);
        };
        int d = hd.depth;
        boolean depthOk = switch (hd.colorType) {
            case 0 -> d == 1 || d == 2 || d == 4 || d == 8 || d == 16;
            case 3 -> d == 1 || d == 2 || d == 4 || d == 8;
            default -> d == 8 || d == 16;
        };
        if (!depthOk) {
            throw new ImageDecodeException("unsupported PNG bit depth " + d + " for colour type " + hd.colorType);
        }
        return hd;
    }

    private static void applyTransparency(Header hd, byte[] trns) {
        if (trns == null) {
            return;
        }
        if (hd.colorType == 3) {
            hd.paletteAlpha = new int[256];
            java.util.Arrays.fill(hd.paletteAlpha, 255);
            for (int i = 0; i < Math.min(trns.length, 256); i++) {
                hd.paletteAlpha[i] = trns[i] & 0xFF;
            }
        } else if (hd.colorType == 0 && trns.length >= 2) {
            hd.transparentColour = new int[] {readU16(trns, 0)};
        } else if (hd.colorType == 2 && trns.length >= 6) {
            hd.transparentColour = new int[] {readU16(trns, 0), readU16(trns, 2), readU16(trns, 4)};
        }
    }

    private static Rgb pixels(Header hd, byte[] compressed) throws DataFormatException {
        int bitsPerPixel = hd.channels * hd.depth;
        int bpp = Math.max(1, bitsPerPixel / 8); // filter distance in bytes
        int[][] passes = hd.interlaced ? ADAM7 : new int[][] {{0, 0, 1, 1}};
        long expected = 0;
        for (int[] p : passes) {
            int pw = passSize(hd.width, p[0], p[2]);
            int ph = passSize(hd.height, p[1], p[3]);
            if (pw > 0 && ph > 0) {
                expected += (stride(pw, bitsPerPixel) + 1) * (long) ph;
            }
        }
        if (expected > Integer.MAX_VALUE - 64) {
            throw new ImageDecodeException("PNG too large: " + expected + " bytes of samples");
        }
        byte[] raw = inflate(compressed, (int) expected);
        byte[] out = new byte[hd.width * hd.height * 3];
        RowWriter writer = new RowWriter(hd, out);
        int in = 0;
        for (int[] p : passes) {
            int pw = passSize(hd.width, p[0], p[2]);
            int ph = passSize(hd.height, p[1], p[3]);
            if (pw == 0 || ph == 0) {
                continue; // an empty pass has no rows at all, not even filter bytes
            }
            int stride = stride(pw, bitsPerPixel);
            byte[] cur = new byte[stride];
            byte[] prev = new byte[stride];
            for (int y = 0; y < ph; y++) {
                int filter = raw[in] & 0xFF;
                System.arraycopy(raw, in + 1, cur, 0, stride);
                in += stride + 1;
                unfilter(filter, cur, prev, bpp);
                writer.write(cur, pw, p[1] + y * p[3], p[0], p[2]);
                byte[] t = prev;
                prev = cur;
                cur = t;
            }
        }
        return new Rgb(hd.width, hd.height, out);
    }

    private static int passSize(int size, int start, int step) {
        return size <= start ? 0 : (size - start + step - 1) / step;
    }

    private static int stride(int width, int bitsPerPixel) {
        return (int) (((long) width * bitsPerPixel + 7) / 8);
    }

    /** Turns one unfiltered row of samples into RGB pixels at (x0 + i * dx, y) of the output. */
    private static final class RowWriter {
        private final Header hd;
        private final byte[] out;
        private final int[] sample = new int[4];

        RowWriter(Header hd, byte[] out) {
            this.hd = hd;
            this.out = out;
        }

        void write(byte[] row, int count, int y, int x0, int dx) {
            int base = y * hd.width;
            int depth = hd.depth;
            int max = (1 << depth) - 1;
            for (int i = 0; i < count; i++) {
                int o = (base + x0 + i * dx) * 3;
                readSamples(row, i, depth);
                int r;
                int g;
                int b;
                int a = 255;
                switch (hd.colorType) {
                    case 3 -> {
                        int index = sample[0];
                        if (index * 3 + 2 >= hd.palette.length) {
                            throw new ImageDecodeException("PNG palette index " + index + " out of range");
                        }
                        r = hd.palette[index * 3] & 0xFF;
                        g = hd.palette[index * 3 + 1] & 0xFF;
                        b = hd.palette[index * 3 + 2] & 0xFF;
                        if (hd.paletteAlpha != null) {
                            a = hd.paletteAlpha[index];
                        }
                    }
                    case 0, 4 -> {
                        r = g = b = scale(sample[0], max);
                        if (hd.colorType == 4) {
                            a = scale(sample[1], max);
                        } else if (hd.transparentColour != null && sample[0] == hd.transparentColour[0]) {
                            a = 0;
                        }
                    }
                    default -> {
                        r = scale(sample[0], max);
                        g = scale(sample[1], max);
                        b = scale(sample[2], max);
                        if (hd.colorType == 6) {
                            a = scale(sample[3], max);
                        } else if (hd.transparentColour != null && sample[0] == hd.transparentColour[0]
                                && sample[1] == hd.transparentColour[1] && sample[2] == hd.transparentColour[2]) {
                            a = 0;
                        }
                    }
                }
                if (a != 255) {
                    r = onWhite(r, a);
                    g = onWhite(g, a);
                    b = onWhite(b, a);
                }
                out[o] = (byte) r;
                out[o + 1] = (byte) g;
                out[o + 2] = (byte) b;
            }
        }

        /** The samples of pixel i, at their stored depth. */
        private void readSamples(byte[] row, int i, int depth) {
            int n = hd.channels;
            if (depth == 8) {
                for (int c = 0; c < n; c++) {
                    sample[c] = row[i * n + c] & 0xFF;
                }
            } else if (depth == 16) {
                for (int c = 0; c < n; c++) {
                    sample[c] = readU16(row, (i * n + c) * 2);
                }
            } else {
                int bit = i * depth; // below 8 bits there is one channel: grey or palette index
                sample[0] = ((row[bit >>> 3] & 0xFF) >>> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
            }
        }

        private int scale(int v, int max) {
            return max == 255 ? v : max == 65535 ? (v * 255 + 32767) / 65535 : v * 255 / max;
        }

        private static int onWhite(int c, int a) {
            return (c * a + 255 * (255 - a) + 127) / 255;
        }
    }

    private static void unfilter(int filter, byte[] cur, byte[] prev, int bpp) {
        int n = cur.length;
        switch (filter) {
            case 0 -> {
            }
            case 1 -> {
                for (int i = bpp; i < n; i++) {
                    cur[i] += cur[i - bpp];
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    cur[i] += prev[i];
                }
            }
            case 3 -> {
                for (int i = 0; i < n; i++) {
                    int left = i >= bpp ? cur[i - bpp] & 0xFF : 0;
                    cur[i] += (byte) ((left + (prev[i] & 0xFF)) >>> 1);
                }
            }
            case 4 -> {
                for (int i = 0; i < n; i++) {
                    int a = i >= bpp ? cur[i - bpp] & 0xFF : 0;
                    int bb = prev[i] & 0xFF;
                    int c = i >= bpp ? prev[i - bpp] & 0xFF : 0;
                    int p = a + bb - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - bb);
                    int pc = Math.abs(p - c);
                    int pred = pa <= pb && pa <= pc ? a : pb <= pc ? bb : c;
                    cur[i] += (byte) pred;
                }
            }
            default -> throw new ImageDecodeException("bad PNG filter type " + filter);
        }
    }

    private static byte[] inflate(byte[] data, int expected) throws DataFormatException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(data);
            byte[] out = new byte[expected];
            int n = 0;
            while (n < expected) {
                int r = inf.inflate(out, n, expected - n);
                if (r == 0 && (inf.finished() || inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += r;
            }
            if (n < expected) {
                throw new ImageDecodeException("truncated PNG image data (" + n + " of " + expected + " bytes)");
            }
            return out;
        } finally {
            inf.end();
        }
    }

    private static int readInt(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    private static int readU16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }
}
