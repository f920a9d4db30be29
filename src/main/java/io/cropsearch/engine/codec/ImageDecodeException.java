package io.cropsearch.engine.codec;

/** The bytes are not an image this engine can decode (corrupt, truncated, or a variant it does not support). */
public final class ImageDecodeException extends RuntimeException {

    public ImageDecodeException(String message) {
        super(message);
    }

    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
