package io.cropsearch.engine.codec;

import java.util.Objects;

/**
 * An 8-bit RGB image, rows top to bottom, pixels interleaved {@code r, g, b}.
 *
 * <p>The pixel array is taken as is, not copied: images are large and pass through several stages, so whoever builds
 * an {@code Rgb} hands the array over and must not change it afterwards.
 */
public record Rgb(int width, int height, byte[] pixels) {

    public Rgb {
        Objects.requireNonNull(pixels, "pixels");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if ((long) width * height * 3 != pixels.length) {
            throw new IllegalArgumentException(
                    "expected " + (long) width * height * 3 + " bytes for " + width + "x" + height + ", got " + pixels.length);
        }
    }

    /** Channel {@code c} (0 red, 1 green, 2 blue) of pixel ({@code x}, {@code y}), 0..255. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xFF;
    }

    /** The image flipped left to right (a mirrored face gives a slightly different descriptor of the same person). */
    public Rgb mirrored() {
        byte[] out = new byte[pixels.length];
        int row = width * 3;
        for (int y = 0; y < height; y++) {
            int base = y * row;
            for (int x = 0; x < width; x++) {
                int src = base + x * 3;
                int dst = base + (width - 1 - x) * 3;
                out[dst] = pixels[src];
                out[dst + 1] = pixels[src + 1];
                out[dst + 2] = pixels[src + 2];
            }
        }
        return new Rgb(width, height, out);
    }

    /** The rectangle at ({@code x}, {@code y}) of the given size; it must lie inside the image. */
    public Rgb crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + x + "," + y + " " + w + "x" + h + " outside " + width + "x" + height);
        }
        byte[] out = new byte[w * h * 3];
        for (int r = 0; r < h; r++) {
            System.arraycopy(pixels, ((y + r) * width + x) * 3, out, r * w * 3, w * 3);
        }
        return new Rgb(w, h, out);
    }
}
