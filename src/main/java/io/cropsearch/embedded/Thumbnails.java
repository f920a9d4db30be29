package io.cropsearch.embedded;

import io.cropsearch.engine.codec.JpegEncoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceBox;

import java.util.Base64;

/**
 * Square JPEG thumbnails, area-averaged down to a small side: of a detected face (the square on its box), for enrolment
 * and {@code /detect}; or of the image's centre square.
 */
final class Thumbnails {
    private Thumbnails() {
    }

    /**
     * The face in {@code box} as a square JPEG of at most {@code side} px: the square on the box's centre whose side is
     * the box's longer side, moved inside the image (and cut to the image's shorter side when larger), so that
     * thumbnails of one person line up whatever the photo around the face.
     */
    static String faceJpegBase64(Rgb image, FaceBox box, int side) {
        int square = Math.min(Math.min(image.width(), image.height()),
                Math.max(1, Math.round(Math.max(box.width(), box.height()))));
        int left = Math.round(box.x() + box.width() / 2 - square / 2f);
        int top = Math.round(box.y() + box.height() / 2 - square / 2f);
        left = Math.max(0, Math.min(image.width() - square, left));
        top = Math.max(0, Math.min(image.height() - square, top));
        Rgb face = image.crop(left, top, square, square);
        return Base64.getEncoder().encodeToString(JpegEncoder.encode(resize(face, Math.min(side, square)), 80,
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
