package io.cropsearch.embedded;

import io.cropsearch.engine.codec.JpegEncoder;
import io.cropsearch.engine.codec.Rgb;

import java.util.Base64;

/** Square JPEG thumbnails of enrolled images: centre square, area-averaged down to a small side. */
final class Thumbnails {
    private Thumbnails() {
    }

    static String jpegBase64(Rgb image, int side) {
        int square = Math.min(image.width(), image.height());
        Rgb centre = image.crop((image.width() - square) / 2, (image.height() - square) / 2, square, square);
        int target = Math.min(side, square);
        return Base64.getEncoder().encodeToString(JpegEncoder.encode(resize(centre, target), 80, JpegEncoder.Chroma.YCBCR_420));
    }

    /** Area averaging: each output pixel is the mean of the source pixels it covers. */
    static Rgb resize(Rgb source, int side) {
        byte[] out = new byte[side * side * 3];
        double scale = (double) source.width() / side;
        for (int y = 0; y < side; y++) {
            int y0 = (int) Math.floor(y * scale);
            int y1 = Math.max(y0 + 1, (int) Math.floor((y + 1) * scale));
            for (int x = 0; x < side; x++) {
                int x0 = (int) Math.floor(x * scale);
                int x1 = Math.max(x0 + 1, (int) Math.floor((x + 1) * scale));
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int sy = y0; sy < y1; sy++) {
                        for (int sx = x0; sx < x1; sx++) {
                            sum += source.get(sx, sy, c);
                        }
                    }
                    out[(y * side + x) * 3 + c] = (byte) Math.round((float) sum / ((y1 - y0) * (x1 - x0)));
                }
            }
        }
        return new Rgb(side, side, out);
    }
}
