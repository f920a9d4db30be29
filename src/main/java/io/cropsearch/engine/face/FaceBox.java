package io.cropsearch.engine.face;

/**
 * A detected face in pixels of the image it was found in, as face-api.js's {@code FaceDetection.box}: not clipped,
 * so a face at the border can reach past the image (negative {@code x}/{@code y}, or beyond the right/bottom edge).
 * {@code score} is the detector's confidence, 0..1.
 */
public record FaceBox(float x, float y, float width, float height, float score) {

    public float right() {
        return x + width;
    }

    public float bottom() {
        return y + height;
    }
}
