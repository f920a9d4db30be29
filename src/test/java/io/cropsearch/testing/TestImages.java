package io.cropsearch.testing;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Real, small images made in the test (java.awt is fine here; the function itself never decodes pixels). */
public final class TestImages {

    private TestImages() {
    }

    /** A face-crop-sized PNG: a pale oval on a dark ground. */
    public static byte[] png(int width, int height) {
        return encode(width, height, "png");
    }

    public static byte[] jpeg(int width, int height) {
        return encode(width, height, "jpg");
    }

    private static byte[] encode(int width, int height, String format) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(40, 40, 60));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(230, 190, 160));
        g.fillOval(width / 5, height / 8, width * 3 / 5, height * 3 / 4);
        g.setColor(Color.DARK_GRAY);
        g.fillOval(width * 2 / 5 - 4, height * 2 / 5, 8, 8);
        g.fillOval(width * 3 / 5 - 4, height * 2 / 5, 8, 8);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
