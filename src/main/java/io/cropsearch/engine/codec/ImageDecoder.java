package io.cropsearch.engine.codec;

/** Decodes JPEG, PNG or WebP bytes, recognised by their signature, with the engine's pure-Java decoders. */
public final class ImageDecoder {

    /** The largest width or height {@link #decode(byte[])} accepts (the same default as each decoder). */
    public static final int DEFAULT_MAX_SIDE = 4096;

    private ImageDecoder() {
    }

    /** Decodes with {@link #DEFAULT_MAX_SIDE} as the largest width or height accepted. */
    public static Rgb decode(byte[] bytes) {
        return decode(bytes, DEFAULT_MAX_SIDE);
    }

    /**
     * Decodes an image whose width and height are at most {@code maxSide}; a larger one is refused from its header,
     * before pixel memory is allocated. Anything undecodable throws {@link ImageDecodeException}.
     */
    public static Rgb decode(byte[] bytes, int maxSide) {
        if (bytes == null || bytes.length < 8) {
            throw new ImageDecodeException("too short to be an image");
        }
        if ((bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8) {
            return JpegDecoder.decode(bytes, maxSide);
        }
        if ((bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            return PngDecoder.decode(bytes, maxSide);
        }
        if (WebpDecoder.isWebp(bytes)) { // RIFF....WEBP
            return WebpDecoder.decode(bytes, Math.min(maxSide, WebpDecoder.MAX_WEBP_SIDE));
        }
        throw new ImageDecodeException("not a JPEG, PNG or WebP image");
    }
}
