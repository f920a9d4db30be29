package io.cropsearch.embedded;

import io.cropsearch.engine.codec.JpegEncoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceBox;

import java.util.Base64;

/**
 * JPEG thumbnails: of a detected face (its box, clipped to the image, area-averaged down so that its longer side is at
 * most the thumbnail size), for enrolment and {@code /detect}; or the image's centre square, for an image without a
 * detected face.
 */
final class Thumbnails {
    private Thumbnails() {
    }

    /** The face in {@code box} as a JPEG whose longer side is at most {@code side}; the centre square if the box is empty. */
    static String faceJpegBase64(Rgb image, FaceBox box, int side) {
        int left = Math.max(0, Math.round(box.x()));
        int top = Math.max(0, Math.round(box.y()));
        int right = Math.min(image.width(), Math.round(box.x() + box.width()));
        int bottom = Math.min(image.height(), Math.round(box.y() + box.height()));
        if (right - left < 1 || bottom - top < 1) {
            return jpegBase64(image, side);
        }
        Rgb face = image.crop(left, top, right - left, bottom - top);
        double scale = Math.min(1.0, (double) side / Math.max(face.width(), face.height()));
        int w = Math.max(1, (int) Math.round(face.width() * scale));
        int h = Math.max(1, (int) Math.round(face.height() * scale));
        return Base64.getEncoder().encodeToString(JpegEncoder.encode(resize(face, w, h), 80,
                JpegEncoder.Chroma.YCBCR_420));
    }

    static String jpegBase64(Rgb image, int side) {
        int square = Math.min(image.width(), image.height());
        Rgb centre = image.crop((image.width() - square) / 2, (image.height() - square) / 2, square, square);
        int target = Math.min(side, square);
        return Base64.getEncoder().encodeToString(JpegEncoder.encode(resize(centre, target), 80, JpegEncoder.Chroma.YCBCR_420));
    }

    /** Area averaging: each output pixel is the mean of the source pixels it covers. */
    static Rgb resize(Rgb source, int side) {
        return resize(source, side, side);
    }

    /** Area averaging to {@code width} x {@code height} (not larger than the source). */
    static Rgb resize(Rgb source, int width, int height) {
        byte[] out = new byte[width * height * 3];
        double scaleX = (double) source.width() / width;
        double scaleY = (double) source.height() / height;
        for (int y = 0; y < height; y++) {
            int y0 = (int) Math.floor(y * scaleY);
            int y1 = Math.min(source.height(), Math.max(y0 + 1, (int) Math.floor((y + 1) * scaleY)));
            for (int x = 0; x < width; x++) {
                int x0 = (int) Math.floor(x * scaleX);
                int x1 = Math.min(source.width(), Math.max(x0 + 1, (int) Math.floor((x + 1) * scaleX)));
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int sy = y0; sy < y1; sy++) {
                        for (int sx = x0; sx < x1; sx++) {
                            sum += source.get(sx, sy, c);
                        }
                    }
                    out[(y * width + x) * 3 + c] = (byte) Math.round((float) sum / ((y1 - y0) * (x1 - x0)));
                }
            }
        }
        return new Rgb(width, height, out);
    }
}
