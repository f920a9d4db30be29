package io.cropsearch.engine.codec;

final class Vp8Decoder {
    record FrameSize(int width, int height) {
    }

    static FrameSize readFrameSize(byte[] b, int off, int len) {
        throw new ImageDecodeException("lossy WebP not yet supported");
    }

    static int[] decode(byte[] b, int off, int len, FrameSize size) {
        throw new ImageDecodeException("lossy WebP not yet supported");
    }
}
