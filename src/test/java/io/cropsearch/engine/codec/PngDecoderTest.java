package io.cropsearch.engine.codec;

import io.cropsearch.engine.Fixtures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * PngDecoder on the colour types the fixture crops (pngjs, 8-bit RGB with adaptive filters) do not cover. The files
 * are written here by a minimal encoder using every filter type (and Adam7 when asked), so each expected pixel is
 * known exactly. Files from other encoders, against pngjs, are in CodecReferenceTest.
 */
class PngDecoderTest {

    private final Random random = new Random(42);

    @Test
    void fixtureCropsAreRgb120() {
        Rgb crop = Fixtures.crop("sample1-face1.png");
        assertEquals(120, crop.width());
        assertEquals(120, crop.height());
    }

    @Test
    void greyscaleRgbaGreyAlphaAndPaletteDecodeToTheirColours() {
        int w = 13;
        int h = 7;
        byte[] rgb = new byte[w * h * 3];
        random.nextBytes(rgb);
        byte[] grey = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            grey[3 * i] = grey[3 * i + 1] = grey[3 * i + 2] = rgb[3 * i];
        }
        assertArrayEquals(rgb, PngDecoder.decode(png(w, h, 2, 8, null, samples(rgb, w, h, 3, false))).pixels());
        assertArrayEquals(onWhite(rgb, w), PngDecoder.decode(png(w, h, 6, 8, null, samples(rgb, w, h, 3, true))).pixels());
        assertArrayEquals(grey, PngDecoder.decode(png(w, h, 0, 8, null, samples(rgb, w, h, 1, false))).pixels());
        assertArrayEquals(onWhite(grey, w),
                PngDecoder.decode(png(w, h, 4, 8, null, samples(rgb, w, h, 1, true))).pixels());

        byte[] palette = new byte[4 * 3];
        random.nextBytes(palette);
        byte[] indices = new byte[w * h];
        byte[] expected = new byte[w * h * 3];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = (byte) random.nextInt(4);
            System.arraycopy(palette, indices[i] * 3, expected, i * 3, 3);
        }
        // 2-bit palette: four pixels per byte, rows padded to whole bytes
        int stride = (w * 2 + 7) / 8;
        byte[][] rows = new byte[h][stride];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rows[y][x / 4] |= (byte) (indices[y * w + x] << (6 - 2 * (x % 4)));
            }
        }
        assertArrayEquals(expected, PngDecoder.decode(png(w, h, 3, 2, palette, rows)).pixels());
    }

    @Test
    void adam7InterlacedFilesDecodeToTheSamePixelsAsPlainOnes() {
        // 3x2 and 1x1 leave some of the seven passes empty: those have no rows, not even filter bytes
        for (int[] size : new int[][] {{13, 7}, {17, 9}, {3, 2}, {1, 1}}) {
            int w = size[0];
            int h = size[1];
            byte[] rgb = new byte[w * h * 3];
            random.nextBytes(rgb);
            byte[][] rows = samples(rgb, w, h, 3, false);
            assertArrayEquals(rgb, PngDecoder.decode(adam7(w, h, 2, 3, rows)).pixels(), w + "x" + h);
            assertArrayEquals(rgb, PngDecoder.decode(png(w, h, 2, 8, null, rows)).pixels(), w + "x" + h);
        }
    }

    @Test
    void truncatedFilesAndUnknownInterlaceMethodsAreRefused() {
        byte[] rgb = new byte[4 * 4 * 3];
        byte[] ok = png(4, 4, 2, 8, null, samples(rgb, 4, 4, 3, false));
        byte[] unknown = ok.clone();
        unknown[8 + 8 + 12] = 2; // IHDR interlace byte (CRC is not checked)
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> PngDecoder.decode(unknown));
        assertTrue(e.getMessage().contains("interlace"), e.getMessage());
        assertThrows(ImageDecodeException.class, () -> PngDecoder.decode(Arrays.copyOf(ok, ok.length / 2)));
    }

    /** The documented compositing of the alpha ramp {@code samples} writes (x * 20) on a white background. */
    private static byte[] onWhite(byte[] rgb, int w) {
        byte[] out = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            int a = (i / 3 % w) * 20;
            out[i] = (byte) (((rgb[i] & 0xFF) * a + 255 * (255 - a) + 127) / 255);
        }
        return out;
    }

    /** An Adam7 PNG of 8-bit samples, {@code bytesPerPixel} per pixel, every pass filtered as {@link #png} does. */
    private static byte[] adam7(int w, int h, int colorType, int bytesPerPixel, byte[][] rows) {
        int[][] passes = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2},
            {0, 1, 1, 2}};
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int[] p : passes) {
            int pw = w <= p[0] ? 0 : (w - p[0] + p[2] - 1) / p[2];
            int ph = h <= p[1] ? 0 : (h - p[1] + p[3] - 1) / p[3];
            if (pw == 0 || ph == 0) {
                continue;
            }
            byte[][] sub = new byte[ph][pw * bytesPerPixel];
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    System.arraycopy(rows[p[1] + y * p[3]], (p[0] + x * p[2]) * bytesPerPixel, sub[y],
                            x * bytesPerPixel, bytesPerPixel);
                }
            }
            raw.writeBytes(filtered(sub, bytesPerPixel));
        }
        return file(w, h, colorType, 8, 1, null, raw.toByteArray());
    }

    private static byte[][] samples(byte[] rgb, int w, int h, int channels, boolean alpha) {
        int per = channels + (alpha ? 1 : 0);
        byte[][] rows = new byte[h][w * per];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < channels; c++) {
                    rows[y][x * per + c] = rgb[(y * w + x) * 3 + c];
                }
                if (alpha) {
                    rows[y][x * per + channels] = (byte) (x * 20);
                }
            }
        }
        return rows;
    }

    /** A PNG whose row y uses filter type y % 5, so all five filters are decoded. */
    private static byte[] png(int w, int h, int colorType, int depth, byte[] palette, byte[][] rows) {
        int channels = switch (colorType) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
        int bpp = Math.max(1, channels * depth / 8);
        return file(w, h, colorType, depth, 0, palette, filtered(rows, bpp));
    }

    /** Rows with their filter bytes; row y uses filter type y % 5. */
    private static byte[] filtered(byte[][] rows, int bpp) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] prev = new byte[rows[0].length];
        for (int y = 0; y < rows.length; y++) {
            int filter = y % 5;
            byte[] cur = rows[y];
            raw.write(filter);
            for (int i = 0; i < cur.length; i++) {
                int a = i >= bpp ? cur[i - bpp] & 0xFF : 0;
                int b = prev[i] & 0xFF;
                int c = i >= bpp ? prev[i - bpp] & 0xFF : 0;
                int pred = switch (filter) {
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) >>> 1;
                    case 4 -> {
                        int p = a + b - c;
                        int pa = Math.abs(p - a);
                        int pb = Math.abs(p - b);
                        int pc = Math.abs(p - c);
                        yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    }
                    default -> 0;
                };
                raw.write((cur[i] - pred) & 0xFF);
            }
            prev = cur;
        }
        return raw.toByteArray();
    }

    private static byte[] file(int w, int h, int colorType, int depth, int interlace, byte[] palette, byte[] raw) {
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        byte[] buf = new byte[raw.length * 2 + 64];
        int n = d.deflate(buf);
        d.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(out, "IHDR", new byte[] {0, 0, 0, (byte) w, 0, 0, 0, (byte) h, (byte) depth, (byte) colorType, 0, 0,
            (byte) interlace});
        if (palette != null) {
            chunk(out, "PLTE", palette);
        }
        chunk(out, "IDAT", Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(new byte[] {(byte) (data.length >>> 24), (byte) (data.length >>> 16), (byte) (data.length >>> 8),
            (byte) data.length});
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        long v = crc.getValue();
        out.writeBytes(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }
}
