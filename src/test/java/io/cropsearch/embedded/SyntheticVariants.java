package io.cropsearch.embedded;

import io.cropsearch.engine.codec.JpegEncoder;
import io.cropsearch.engine.codec.Rgb;



import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * SYNTHETIC same-person variants of a face crop, made in pure Java. The demo photos show each person once, so apart
 * from the committed alternate crops every same-person pair in the evaluation is made here, and is labelled so.
 *
 * <p>Shifts and zooms fill what they uncover by repeating the edge pixels: a real crop box moved inside a photo shows
 * more photo, not black bars, and the photos around the committed crops are not in the repository.
 */
final class SyntheticVariants {
    private SyntheticVariants() {
    }

    /**
     * A named transformation; {@code jpegQuality} > 0 means the probe is sent as a JPEG of that quality, with 4:2:0
     * chroma like most cameras and browsers write.
     */
    record Variant(String name, String description, UnaryOperator<Rgb> transform, int jpegQuality) {
        /** The probe's bytes as a client would send them. */
        byte[] bytes(Rgb source) {
            Rgb image = transform.apply(source);
            return jpegQuality > 0 ? JpegEncoder.encode(image, jpegQuality, JpegEncoder.Chroma.YCBCR_420) : png(image);
        }
    }

    /** The reported families. {@code seed} makes the noise of each source image reproducible. */
    static List<Variant> families(long seed) {
        return List.of(
                new Variant("flip", "mirrored left-right", Rgb::mirrored, 0),
                new Variant("shift+8%", "content moved 8% right and down", i -> shift(i, 0.08, 0.08), 0),
                new Variant("shift-8%", "content moved 8% left and up", i -> shift(i, -0.08, -0.08), 0),
                new Variant("zoom-in-10%", "scaled up 10% about the centre", i -> zoom(i, 1.1), 0),
                new Variant("zoom-out-10%", "scaled down 10% about the centre", i -> zoom(i, 1 / 1.1), 0),
                new Variant("bright+30%", "pixel values x1.3, clipped", i -> brightness(i, 1.3), 0),
                new Variant("bright-30%", "pixel values x0.7", i -> brightness(i, 0.7), 0),
                new Variant("blur", "gaussian blur, sigma 1.5 px", i -> gaussianBlur(i, 1.5), 0),
                new Variant("jpeg-q30", "re-encoded as JPEG quality 30", UnaryOperator.identity(), 30),
                new Variant("jpeg-q10", "re-encoded as JPEG quality 10", UnaryOperator.identity(), 10),
                new Variant("noise", "gaussian noise, sigma 12 levels", i -> noise(i, 12, seed), 0),
                new Variant("combo-a", "flip + shift+5% + dark-20% + JPEG q40",
                        i -> brightness(shift(i.mirrored(), 0.05, 0.05), 0.8), 40),
                new Variant("combo-b", "zoom-out-7% + blur 1.0 + noise 8 + JPEG q30",
                        i -> noise(gaussianBlur(zoom(i, 1 / 1.07), 1.0), 8, seed), 30));
    }

    static Rgb shift(Rgb image, double fx, double fy) {
        return affine(image, 1, fx * image.width(), fy * image.height());
    }

    /** {@code factor} > 1 zooms in (the face fills more of the crop), < 1 zooms out. */
    static Rgb zoom(Rgb image, double factor) {
        return affine(image, factor, 0, 0);
    }

    /** Bilinear resampling of {@code out(x) = in(c + (x - c) / scale - offset)}, edges repeated outside the source. */
    static Rgb affine(Rgb image, double scale, double dx, double dy) {
        int w = image.width();
        int h = image.height();
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            double sy = cy + (y - cy) / scale - dy;
            for (int x = 0; x < w; x++) {
                double sx = cx + (x - cx) / scale - dx;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                double ax = sx - x0;
                double ay = sy - y0;
                for (int c = 0; c < 3; c++) {
                    double top = at(image, x0, y0, c) * (1 - ax) + at(image, x0 + 1, y0, c) * ax;
                    double bottom = at(image, x0, y0 + 1, c) * (1 - ax) + at(image, x0 + 1, y0 + 1, c) * ax;
                    out[(y * w + x) * 3 + c] = clip(top * (1 - ay) + bottom * ay);
                }
            }
        }
        return new Rgb(w, h, out);
    }

    private static int at(Rgb image, int x, int y, int c) {
        return image.get(Math.max(0, Math.min(image.width() - 1, x)), Math.max(0, Math.min(image.height() - 1, y)), c);
    }

    static Rgb brightness(Rgb image, double factor) {
        byte[] out = new byte[image.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = clip((image.pixels()[i] & 0xFF) * factor);
        }
        return new Rgb(image.width(), image.height(), out);
    }

    /** Separable gaussian, kernel radius 3 sigma, edges clamped (no black border creeping in). */
    static Rgb gaussianBlur(Rgb image, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = Math.exp(-k * k / (2 * sigma * sigma));
            sum += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= sum;
        }
        int w = image.width();
        int h = image.height();
        double[] horizontal = new double[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    double acc = 0;
                    for (int k = -radius; k <= radius; k++) {
                        acc += kernel[k + radius] * image.get(Math.max(0, Math.min(w - 1, x + k)), y, c);
                    }
                    horizontal[(y * w + x) * 3 + c] = acc;
                }
            }
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    double acc = 0;
                    for (int k = -radius; k <= radius; k++) {
                        acc += kernel[k + radius] * horizontal[(Math.max(0, Math.min(h - 1, y + k)) * w + x) * 3 + c];
                    }
                    out[(y * w + x) * 3 + c] = clip(acc);
                }
            }
        }
        return new Rgb(w, h, out);
    }

    /** Independent gaussian noise per channel value; the same seed gives the same noise. */
    static Rgb noise(Rgb image, double sigma, long seed) {
        Random random = new Random(seed);
        byte[] out = new byte[image.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = clip((image.pixels()[i] & 0xFF) + random.nextGaussian() * sigma);
        }
        return new Rgb(image.width(), image.height(), out);
    }

    private static byte clip(double v) {
        return (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
    }

    /** A lossless PNG (8-bit RGB, filter 0), so that non-JPEG variants reach the engine unchanged. */
    static byte[] png(Rgb image) {
        int w = image.width();
        int h = image.height();
        byte[] raw = new byte[h * (1 + w * 3)];
        for (int y = 0; y < h; y++) {
            System.arraycopy(image.pixels(), y * w * 3, raw, y * (1 + w * 3) + 1, w * 3);
        }
        Deflater deflater = new Deflater(6);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            idat.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(out, "IHDR", new byte[] {(byte) (w >>> 24), (byte) (w >>> 16), (byte) (w >>> 8), (byte) w,
                (byte) (h >>> 24), (byte) (h >>> 16), (byte) (h >>> 8), (byte) h, 8, 2, 0, 0, 0});
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        writeInt(out, data.length);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        writeInt(out, (int) crc.getValue());
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
