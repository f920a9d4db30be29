package io.cropsearch.engine;

/** Baseline JPEG decoder (to come). */
public final class JpegDecoder {

    private JpegDecoder() {
    }

    public static Rgb decode(byte[] jpeg) {
        throw new ImageDecodeException("JPEG decoding is not implemented yet");
    }
}
