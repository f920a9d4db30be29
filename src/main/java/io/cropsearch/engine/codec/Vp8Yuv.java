package io.cropsearch.engine.codec;

/**
 * YUV 4:2:0 to RGB the way libwebp's default output path does it (dwebp without {@code -nofancy}), so lossy files
 * decode to dwebp's pixels:
 *
 * <ul>
 *   <li>"Fancy" chroma upsampling: each luma pixel gets chroma interpolated from the four nearest chroma samples
 *       with weights 9/16, 3/16, 3/16, 1/16 (nearest first), computed in libwebp's two rounding steps; on the first
 *       and last rows and columns, where a neighbour is missing, the nearest sample is used in its place.</li>
 *   <li>BT.601 limited-range conversion in libwebp's 14-bit fixed point ({@code VP8YUVToR/G/B}):
 *       R = clip((19077 y >> 8) + (26149 v >> 8) - 14234) >> 6, and likewise for G and B.</li>
 * </ul>
 */
final class Vp8Yuv {

    private Vp8Yuv() {
    }

    static int[] toArgb(Vp8Reconstruction f, int width, int height) {
        int[] out = new int[width * height];
        int chromaHeight = (height + 1) >> 1;
        int[] uRow = new int[width];
        int[] vRow = new int[width];
        for (int y = 0; y < height; y++) {
            // the chroma row nearest to this luma row, and the other one it is interpolated with
            int near;
            int far;
            if (y == 0) {
                near = 0;
                far = 0;
            } else if ((y & 1) == 1) {
                near = (y - 1) >> 1;
                far = Math.min(near + 1, chromaHeight - 1);
            } else {
                near = y >> 1;
                far = near - 1;
            }
            upsampleRow(f.u, f.uvStride, near, far, width, uRow);
            upsampleRow(f.v, f.uvStride, near, far, width, vRow);
            int yRow = y * f.yStride;
            for (int x = 0; x < width; x++) {
                out[y * width + x] = 0xFF000000 | rgb(f.y[yRow + x] & 0xFF, uRow[x], vRow[x]);
            }
        }
        return out;
    }

    /**
     * One output row of a chroma plane. Horizontally, output pixel 2k-1 lies nearest chroma column k-1 and pixel 2k
     * nearest column k; the first pixel (and the last, for even widths) takes its column only.
     */
    private static void upsampleRow(byte[] plane, int stride, int nearRow, int farRow, int width, int[] out) {
        int n = nearRow * stride;
        int f = farRow * stride;
        out[0] = (3 * (plane[n] & 0xFF) + (plane[f] & 0xFF) + 2) >> 2;
        int lastPair = (width - 1) >> 1;
        for (int k = 1; k <= lastPair; k++) {
            int nl = plane[n + k - 1] & 0xFF;
            int nr = plane[n + k] & 0xFF;
            int fl = plane[f + k - 1] & 0xFF;
            int fr = plane[f + k] & 0xFF;
            out[2 * k - 1] = fancy(nl, nr, fl, fr);
            out[2 * k] = fancy(nr, nl, fr, fl);
        }
        if ((width & 1) == 0) {
            int k = (width - 1) >> 1;
            out[width - 1] = (3 * (plane[n + k] & 0xFF) + (plane[f + k] & 0xFF) + 2) >> 2;
        }
    }

    /**
     * libwebp's UPSAMPLE_FUNC for one sample: {@code near}/{@code nearOther} are the nearest chroma row's samples
     * (nearest column first), {@code far}/{@code farOther} the other row's: ((avg + 2 * (nearOther + far)) >> 3 +
     * near) >> 1 with avg = the four samples + 8.
     */
    private static int fancy(int near, int nearOther, int far, int farOther) {
        int avg = near + nearOther + far + farOther + 8;
        int diagonal = (avg + 2 * (nearOther + far)) >> 3;
        return (diagonal + near) >> 1;
    }

    private static int multHi(int v, int coeff) {
        return (v * coeff) >> 8;
    }

    /** Clamps a 14-bit fixed-point value (6 fraction bits) to 0..255. */
    private static int clip8(int v) {
        return (v & ~16383) == 0 ? v >> 6 : v < 0 ? 0 : 255;
    }

    static int rgb(int y, int u, int v) {
        int yy = multHi(y, 19077);
        int r = clip8(yy + multHi(v, 26149) - 14234);
        int g = clip8(yy - multHi(u, 6419) - multHi(v, 13320) + 8708);
        int b = clip8(yy + multHi(u, 33050) - 17685);
        return r << 16 | g << 8 | b;
    }
}
