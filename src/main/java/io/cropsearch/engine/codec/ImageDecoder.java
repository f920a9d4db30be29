package io.cropsearch.engine.codec;

/** Decodes JPEG or PNG bytes, recognised by their signature, with the engine's pure-Java decoders. */
public final class ImageDecoder {

    private ImageDecoder() {
    }

    public static Rgb decode(byte[] bytes) {
        if (bytes == null || bytes.length < 8) {
            throw new ImageDecodeException("too short to be an image");
        }
        if ((bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8) {
            return JpegDecoder.decode(bytes);
        }
        if ((bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            return PngDecoder.decode(bytes);
        }
        if (WebpDecoder.isWebp(bytes)) { // RIFF....WEBP; sizes up to the format's own limit
            return WebpDecoder.decode(bytes, WebpDecoder.MAX_WEBP_SIDE);
        }
        throw new ImageDecodeException("not a JPEG or PNG image");
    }
}
