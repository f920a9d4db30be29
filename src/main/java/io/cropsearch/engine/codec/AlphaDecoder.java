package io.cropsearch.engine.codec;

/**
 * The {@code ALPH} chunk of an extended lossy WebP (RFC 9649, section 2.7.1.2): a one-byte header (reserved bits,
 * pre-processing hint, prediction filter, compression), then the alpha plane raw or as a header-less VP8L stream
 * whose green channel holds the values; the filter's predictions are added back afterwards.
 */
final class AlphaDecoder {

    private static final int FILTER_NONE = 0;
    private static final int FILTER_HORIZONTAL = 1;
    private static final int FILTER_VERTICAL = 2;

    private AlphaDecoder() {
    }

    static byte[] decode(byte[] b, int offset, int size, int width, int height) {
        if (size < 1) {
            throw new ImageDecodeException("empty ALPH chunk");
        }
        int header = b[offset] & 0xFF;
        int compression = header & 3;
        int filter = (header >> 2) & 3;
        int preprocessing = (header >> 4) & 3;
        int reserved = header >> 6;
        // as in libwebp: an unknown compression method, pre-processing beyond "level reduction" or reserved bits
        // make the chunk invalid (all four filter values are defined: none, horizontal, vertical, gradient)
        if (compression > 1 || preprocessing > 1 || reserved != 0) {
            throw new ImageDecodeException("unsupported ALPH chunk header " + header);
        }
        int n = width * height;
        byte[] alpha = new byte[n];
        if (compression == 0) {
            if (size - 1 < n) {
                throw new ImageDecodeException("ALPH chunk shorter than the image");
            }
            System.arraycopy(b, offset + 1, alpha, 0, n);
        } else {
            int[] argb = Vp8lDecoder.decodeHeaderless(b, offset + 1, size - 1, width, height);
            for (int i = 0; i < n; i++) {
                alpha[i] = (byte) (argb[i] >> 8);
            }
        }
        unfilter(alpha, width, height, filter);
        return alpha;
    }

    /**
     * Adds back the filter's predictions in raster order. Every filter predicts the first row from the left (its
     * first pixel from 0) and the first column from above; inside, horizontal uses the left pixel, vertical the one
     * above, gradient clamp(left + above - above-left).
     */
    private static void unfilter(byte[] a, int width, int height, int filter) {
        if (filter == FILTER_NONE) {
            return;
        }
        for (int x = 1; x < width; x++) {
            a[x] += a[x - 1];
        }
        for (int y = 1; y < height; y++) {
            int row = y * width;
            a[row] += a[row - width];
            for (int x = 1; x < width; x++) {
                int i = row + x;
                int left = a[i - 1] & 0xFF;
                int top = a[i - width] & 0xFF;
                int pred;
                if (filter == FILTER_HORIZONTAL) {
                    pred = left;
                } else if (filter == FILTER_VERTICAL) {
                    pred = top;
                } else {
                    int g = left + top - (a[i - width - 1] & 0xFF);
                    pred = g < 0 ? 0 : Math.min(g, 255);
                }
                a[i] += (byte) pred;
            }
        }
    }
}
