package io.cropsearch.engine.codec;

/**
 * The inverse VP8L transforms (RFC 9649, section 4), on ARGB ints. Channel arithmetic is per byte, modulo 256.
 */
final class Vp8lTransforms {

    private Vp8lTransforms() {
    }

    /** Per-channel sum modulo 256 (alpha/green and red/blue lanes added separately so no carry crosses a byte). */
    static int addPixels(int a, int b) {
        int ag = (a & 0xFF00FF00) + (b & 0xFF00FF00);
        int rb = (a & 0x00FF00FF) + (b & 0x00FF00FF);
        return (ag & 0xFF00FF00) | (rb & 0x00FF00FF);
    }

    /** Per-channel floor((a + b) / 2). */
    private static int average2(int a, int b) {
        return (((a ^ b) & 0xFEFEFEFE) >>> 1) + (a & b);
    }

    private static int channel(int argb, int shift) {
        return (argb >>> shift) & 0xFF;
    }

    private static int clamp255(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /** Predictor 11: whichever of L and T is closer (Manhattan over the channels) to the gradient estimate L+T-TL. */
    private static int select(int left, int top, int topLeft) {
        int predictLeft = 0;
        int predictTop = 0;
        for (int shift = 0; shift < 32; shift += 8) {
            predictLeft += Math.abs(channel(top, shift) - channel(topLeft, shift));
            predictTop += Math.abs(channel(left, shift) - channel(topLeft, shift));
        }
        return predictLeft < predictTop ? left : top;
    }

    /** Predictor 12: per channel clamp(L + T - TL). */
    private static int clampAddSubtractFull(int a, int b, int c) {
        int out = 0;
        for (int shift = 0; shift < 32; shift += 8) {
            out |= clamp255(channel(a, shift) + channel(b, shift) - channel(c, shift)) << shift;
        }
        return out;
    }

    /** Predictor 13: per channel clamp(a + (a - b) / 2), a = avg(L, T), b = TL; the division truncates, as in C. */
    private static int clampAddSubtractHalf(int a, int b) {
        int out = 0;
        for (int shift = 0; shift < 32; shift += 8) {
            int ca = channel(a, shift);
            out |= clamp255(ca + (ca - channel(b, shift)) / 2) << shift;
        }
        return out;
    }

    private static int predict(int mode, int left, int top, int topLeft, int topRight) {
        switch (mode) {
            case 1: return left;
            case 2: return top;
            case 3: return topRight;
            case 4: return topLeft;
            case 5: return average2(average2(left, topRight), top);
            case 6: return average2(left, topLeft);
            case 7: return average2(left, top);
            case 8: return average2(topLeft, top);
            case 9: return average2(top, topRight);
            case 10: return average2(average2(left, topLeft), average2(top, topRight));
            case 11: return select(left, top, topLeft);
            case 12: return clampAddSubtractFull(left, top, topLeft);
            case 13: return clampAddSubtractHalf(average2(left, top), topLeft);
            default: return 0xFF000000; // 0, and 14/15 which libwebp also maps to opaque black
        }
    }

    /**
     * Adds each pixel's prediction in raster order, in place: every neighbour a predictor reads (L, TL, T, TR) is
     * earlier in raster order and already final. The top-right of the last column is, in memory, the first pixel of
     * the current row, which is what the format specifies.
     */
    static void inversePredictor(int[] px, int width, int height, int bits, int[] modes) {
        int blocksPerRow = Vp8lDecoder.subSampleSize(width, bits);
        px[0] = addPixels(px[0], 0xFF000000);
        for (int x = 1; x < width; x++) {
            px[x] = addPixels(px[x], px[x - 1]);
        }
        for (int y = 1; y < height; y++) {
            int row = y * width;
            px[row] = addPixels(px[row], px[row - width]);
            int modeRow = (y >> bits) * blocksPerRow;
            for (int x = 1; x < width; x++) {
                int i = row + x;
                int mode = (modes[modeRow + (x >> bits)] >> 8) & 0xF;
                int pred = predict(mode, px[i - 1], px[i - width], px[i - width - 1], px[i - width + 1]);
                px[i] = addPixels(px[i], pred);
            }
        }
    }

    /** (t * c) >> 5 on signed bytes. */
    private static int colorDelta(int t, int c) {
        return ((byte) t * (byte) c) >> 5;
    }

    /** Undoes the cross-colour transform; red_to_blue uses the already restored red, as the encoder used it. */
    static void inverseColor(int[] px, int width, int height, int bits, int[] elements) {
        int blocksPerRow = Vp8lDecoder.subSampleSize(width, bits);
        for (int y = 0; y < height; y++) {
            int row = y * width;
            int elementRow = (y >> bits) * blocksPerRow;
            for (int x = 0; x < width; x++) {
                int e = elements[elementRow + (x >> bits)];
                int greenToRed = e & 0xFF;
                int greenToBlue = (e >> 8) & 0xFF;
                int redToBlue = (e >> 16) & 0xFF;
                int argb = px[row + x];
                int green = (argb >> 8) & 0xFF;
                int red = ((argb >> 16) + colorDelta(greenToRed, green)) & 0xFF;
                int blue = (argb + colorDelta(greenToBlue, green) + colorDelta(redToBlue, red)) & 0xFF;
                px[row + x] = (argb & 0xFF00FF00) | (red << 16) | blue;
            }
        }
    }

    static void addGreen(int[] px) {
        for (int i = 0; i < px.length; i++) {
            int argb = px[i];
            int green = (argb >> 8) & 0xFF;
            int rb = ((argb & 0x00FF00FF) + ((green << 16) | green)) & 0x00FF00FF;
            px[i] = (argb & 0xFF00FF00) | rb;
        }
    }

    /**
     * Colour indexing: green holds palette indexes; with small palettes several indexes share one pixel
     * (8 >> bits bits each, the leftmost pixel in the lowest bits), so the coded image is narrower than the output.
     */
    static int[] expandColorIndexes(int[] packed, int width, int height, int bits, int[] palette) {
        int packedWidth = Vp8lDecoder.subSampleSize(width, bits);
        int[] out = new int[width * height];
        int bitsPerIndex = 8 >> bits;
        int indexMask = (1 << bitsPerIndex) - 1;
        int perPixelMask = (1 << bits) - 1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int green = (packed[y * packedWidth + (x >> bits)] >> 8) & 0xFF;
                int index = (green >> ((x & perPixelMask) * bitsPerIndex)) & indexMask;
                out[y * width + x] = palette[index];
            }
        }
        return out;
    }
}
