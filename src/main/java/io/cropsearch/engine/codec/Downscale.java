package io.cropsearch.engine.codec;

/**
 * Shrinking an image by area averaging (a box filter with fractional coverage, what image editors call "area" or
 * "supersampling"): each output pixel is the mean of the source area it covers, so every source pixel counts and
 * nothing aliases, unlike sampling a few neighbours (nearest, or the bilinear resize the nets do themselves).
 *
 * <p>Separable and streaming: one output row at a time from the source rows it covers, in double, rounded to the
 * nearest level once. Memory besides the output is two rows of doubles and the per-column weights, whatever the
 * source size. The arithmetic (order included) is that of {@code areaDownscale} in
 * tools/reference/make-photo-detection.js, so the reference script and this class produce the same pixels.
 */
public final class Downscale {

    private Downscale() {
    }

    /** Per output pixel along one axis: the first source pixel it covers and each covered pixel's share. */
    private record Span(int first, double[] weights) {
    }

    /**
     * {@code image} shrunk to {@code width x height} (each at most the source's and at least 1).
     */
    public static Rgb area(Rgb image, int width, int height) {
        int sw = image.width();
        int sh = image.height();
        if (width < 1 || height < 1 || width > sw || height > sh) {
            throw new IllegalArgumentException("cannot area-scale " + sw + "x" + sh + " to " + width + "x" + height);
        }
        Span[] xs = spans(sw, width);
        Span[] ys = spans(sh, height);
        byte[] src = image.pixels();
        byte[] out = new byte[width * height * 3];
        double[] acc = new double[width * 3];
        for (int y = 0; y < height; y++) {
            java.util.Arrays.fill(acc, 0);
            Span sy = ys[y];
            double[] wy = sy.weights();
            for (int j = 0; j < wy.length; j++) {
                int row = (sy.first() + j) * sw * 3;
                for (int x = 0; x < width; x++) {
                    Span sx = xs[x];
                    double[] wx = sx.weights();
                    double r = 0;
                    double g = 0;
                    double b = 0;
                    int p = row + sx.first() * 3;
                    for (int i = 0; i < wx.length; i++, p += 3) {
                        r += wx[i] * (src[p] & 0xFF);
                        g += wx[i] * (src[p + 1] & 0xFF);
                        b += wx[i] * (src[p + 2] & 0xFF);
                    }
                    acc[x * 3] += wy[j] * r;
                    acc[x * 3 + 1] += wy[j] * g;
                    acc[x * 3 + 2] += wy[j] * b;
                }
            }
            int o = y * width * 3;
            for (int k = 0; k < width * 3; k++) {
                // JavaScript's Math.round: floor(v + 0.5)
                out[o + k] = (byte) Math.min(255, Math.max(0, (long) Math.floor(acc[k] + 0.5)));
            }
        }
        return new Rgb(width, height, out);
    }

    /**
     * The size that makes the longer side {@code maxSide} (the other side in proportion, rounded, at least 1), or the
     * image's own size when it is not larger.
     */
    public static int[] fit(int width, int height, int maxSide) {
        int longer = Math.max(width, height);
        if (longer <= maxSide) {
            return new int[] {width, height};
        }
        double f = (double) maxSide / longer;
        return width >= height
                ? new int[] {maxSide, Math.max(1, (int) Math.floor(height * f + 0.5))}
                : new int[] {Math.max(1, (int) Math.floor(width * f + 0.5)), maxSide};
    }

    private static Span[] spans(int srcLen, int dstLen) {
        double scale = (double) srcLen / dstLen;
        Span[] out = new Span[dstLen];
        for (int d = 0; d < dstLen; d++) {
            double start = d * scale;
            double end = Math.min(srcLen, (d + 1) * scale);
            int first = (int) Math.floor(start);
            int last = Math.min(srcLen - 1, (int) Math.ceil(end) - 1);
            double[] w = new double[last - first + 1];
            for (int s = first; s <= last; s++) {
                w[s - first] = (Math.min(end, s + 1) - Math.max(start, s)) / scale;
            }
            out[d] = new Span(first, w);
        }
        return out;
    }
}
