package io.cropsearch.engine.codec;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Non-interlaced PNG to {@link Rgb}: grey, grey+alpha, RGB, RGBA (8 or 16 bits, 16 keeps the high byte) and palette or
 * grey at 1/2/4/8 bits. Alpha is dropped, not composited: the pixels the engine sees are the stored colour values,
 * which is also what the reference scripts feed face-api.js. Pure Java (java.util.zip), so it works in a native image.
 */
public final class PngDecoder {

    private static final long MAX_PIXELS = 40_000_000L;

    private PngDecoder() {
    }

    public static Rgb decode(byte[] png) {
        try {
            return decodeChecked(png);
        } catch (ArrayIndexOutOfBoundsException | DataFormatException e) {
            throw new ImageDecodeException("corrupt PNG: " + e.getMessage(), e);
        }
    }

    private static Rgb decodeChecked(byte[] b) throws DataFormatException {
        if (b.length < 8 || (b[0] & 0xFF) != 0x89 || b[1] != 'P' || b[2] != 'N' || b[3] != 'G') {
            throw new ImageDecodeException("not a PNG");
        }
        int pos = 8;
        int width = -1;
        int height = -1;
        int depth = 0;
        int colorType = 0;
        byte[] palette = null;
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        while (true) {
            if (pos + 8 > b.length) {
                throw new ImageDecodeException("truncated PNG (no IEND)");
            }
            int len = readInt(b, pos);
            String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int data = pos + 8;
            if (len < 0 || data + len > b.length) {
                throw new ImageDecodeException("truncated PNG chunk " + type);
            }
            switch (type) {
                case "IHDR" -> {
                    width = readInt(b, data);
                    height = readInt(b, data + 4);
                    depth = b[data + 8] & 0xFF;
                    colorType = b[data + 9] & 0xFF;
                    if (b[data + 10] != 0 || b[data + 11] != 0) {
                        throw new ImageDecodeException("unsupported PNG compression or filter method");
                    }
                    if (b[data + 12] != 0) {
                        throw new ImageDecodeException("interlaced PNG is not supported");
                    }
                }
                case "PLTE" -> {
                    palette = new byte[len];
                    System.arraycopy(b, data, palette, 0, len);
                }
                case "IDAT" -> idat.write(b, data, len);
                default -> {
                    // ancillary chunks (gamma, text, tRNS, ...) do not change the stored colour values
                }
            }
            pos = data + len + 4;
            if (type.equals("IEND")) {
                break;
            }
        }
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException("PNG without a valid IHDR");
        }
        if ((long) width * height > MAX_PIXELS) {
            throw new ImageDecodeException("PNG too large: " + width + "x" + height);
        }
        int channels = switch (colorType) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw new ImageDecodeException("unsupported PNG colour type " + colorType);
        };
        boolean depthOk = switch (colorType) {
            case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
            case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
            default -> depth == 8 || depth == 16;
        };
        if (!depthOk) {
            throw new ImageDecodeException("unsupported PNG bit depth " + depth + " for colour type " + colorType);
        }
        if (colorType == 3 && palette == null) {
            throw new ImageDecodeException("palette PNG without PLTE");
        }
        int bitsPerPixel = channels * depth;
        int bpp = Math.max(1, bitsPerPixel / 8); // filter distance in bytes
        int stride = (int) (((long) width * bitsPerPixel + 7) / 8);
        byte[] raw = inflate(idat.toByteArray(), (stride + 1) * height);
        byte[] cur = new byte[stride];
        byte[] prev = new byte[stride];
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            int in = y * (stride + 1);
            int filter = raw[in] & 0xFF;
            System.arraycopy(raw, in + 1, cur, 0, stride);
            unfilter(filter, cur, prev, bpp);
            toRgb(cur, out, y * width * 3, width, colorType, depth, channels, palette);
            byte[] t = prev;
            prev = cur;
            cur = t;
        }
        return new Rgb(width, height, out);
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

    private static void toRgb(byte[] row, byte[] out, int o, int width, int colorType, int depth, int channels,
                              byte[] palette) {
        if (depth < 8) {
            int mask = (1 << depth) - 1;
            for (int x = 0; x < width; x++) {
                int bit = x * depth;
                int v = ((row[bit >>> 3] & 0xFF) >>> (8 - depth - (bit & 7))) & mask;
                if (colorType == 3) {
                    putPalette(palette, v, out, o + x * 3);
                } else {
                    byte g = (byte) (v * 255 / mask);
                    out[o + x * 3] = g;
                    out[o + x * 3 + 1] = g;
                    out[o + x * 3 + 2] = g;
                }
            }
            return;
        }
        int bytesPerSample = depth / 8;
        int step = channels * bytesPerSample;
        for (int x = 0; x < width; x++) {
            int i = x * step;
            int d = o + x * 3;
            switch (colorType) {
                case 0, 4 -> {
                    out[d] = row[i];
                    out[d + 1] = row[i];
                    out[d + 2] = row[i];
                }
                case 3 -> putPalette(palette, row[i] & 0xFF, out, d);
                default -> {
                    out[d] = row[i];
                    out[d + 1] = row[i + bytesPerSample];
                    out[d + 2] = row[i + 2 * bytesPerSample];
                }
            }
        }
    }

    private static void putPalette(byte[] palette, int index, byte[] out, int d) {
        if (index * 3 + 2 >= palette.length) {
            throw new ImageDecodeException("PNG palette index " + index + " out of range");
        }
        out[d] = palette[index * 3];
        out[d + 1] = palette[index * 3 + 1];
        out[d + 2] = palette[index * 3 + 2];
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
}
