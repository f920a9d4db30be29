package io.cropsearch.testing;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/** Real encoded images for tests, drawn on the fly (ImageIO is fine in tests; the product never uses it). */
public final class TestImages {
    private TestImages() {
    }

    public static byte[] jpeg(int width, int height) {
        return encode(draw(width, height), "jpg");
    }

    public static byte[] png(int width, int height) {
        return encode(draw(width, height), "png");
    }

    public static String jpegBase64(int width, int height) {
        return Base64.getEncoder().encodeToString(jpeg(width, height));
    }

    public static String pngBase64(int width, int height) {
        return Base64.getEncoder().encodeToString(png(width, height));
    }

    /** A minimal valid WebP (VP8L lossless) header of the given size; enough for header-only inspection. */
    public static byte[] webpLossless(int width, int height) {
        byte[] b = new byte[30];
        b[0] = 'R'; b[1] = 'I'; b[2] = 'F'; b[3] = 'F';
        int riffSize = b.length - 8;
        b[4] = (byte) riffSize; b[5] = (byte) (riffSize >> 8);
        b[8] = 'W'; b[9] = 'E'; b[10] = 'B'; b[11] = 'P';
        b[12] = 'V'; b[13] = 'P'; b[14] = '8'; b[15] = 'L';
        int chunk = 10;
        b[16] = (byte) chunk;
        b[20] = 0x2F;
        int w = width - 1;
        int h = height - 1;
        long bits = (w & 0x3FFFL) | ((h & 0x3FFFL) << 14);
        b[21] = (byte) bits; b[22] = (byte) (bits >> 8); b[23] = (byte) (bits >> 16); b[24] = (byte) (bits >> 24);
        return b;
    }

    private static BufferedImage draw(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(200, 170, 150));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(60, 40, 30));
        g.fillOval(width / 4, height / 3, width / 8, height / 10);
        g.fillOval(width * 5 / 8, height / 3, width / 8, height / 10);
        g.drawArc(width / 3, height * 2 / 3, width / 3, height / 8, 180, 180);
        g.dispose();
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
