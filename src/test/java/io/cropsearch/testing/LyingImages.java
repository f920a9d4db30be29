package io.cropsearch.testing;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** Images whose headers disagree about their size, built from honest ones (for the header checks' tests). */
public final class LyingImages {
    private LyingImages() {
    }

    /**
     * The case: a real 6000x6000 JPEG (flat grey, so it stays far below the byte limit) whose first frame
     * header, inserted in front of the real one, says 16x16.
     */
    public static byte[] bigFrameBehindSmallHeader() {
        BufferedImage image = new BufferedImage(6000, 6000, BufferedImage.TYPE_BYTE_GRAY);
        Arrays.fill(((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData(), (byte) 128);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return withSmallFrameFirst(out.toByteArray(), 16, 16);
    }

    /** {@code jpeg} with a copy of its frame header, resized to width x height, inserted before the real one. */
    public static byte[] withSmallFrameFirst(byte[] jpeg, int width, int height) {
        int sof = indexOfMarker(jpeg, 0xC0);
        return concat(Arrays.copyOf(jpeg, sof), resized(segment(jpeg, 0xC0), width, height),
                Arrays.copyOfRange(jpeg, sof, jpeg.length));
    }

    /** {@code png} with a second IHDR chunk of the given size right after the first. */
    public static byte[] withSecondIhdr(byte[] png, int width, int height) {
        byte[] ihdr = Arrays.copyOfRange(png, 16, 16 + 13);
        putBe(ihdr, 0, width);
        putBe(ihdr, 4, height);
        int afterFirst = 8 + 12 + 13;
        return concat(Arrays.copyOf(png, afterFirst), chunk("IHDR", ihdr),
                Arrays.copyOfRange(png, afterFirst, png.length));
    }

    /** An extended WebP: a VP8X chunk stating the canvas size, then a VP8L header of the frame size. */
    public static byte[] extendedWebp(int canvasWidth, int canvasHeight, int frameWidth, int frameHeight) {
        byte[] vp8x = new byte[18];
        vp8x[0] = 'V'; vp8x[1] = 'P'; vp8x[2] = '8'; vp8x[3] = 'X';
        vp8x[4] = 10;
        putLe24(vp8x, 8 + 4, canvasWidth - 1);
        putLe24(vp8x, 8 + 7, canvasHeight - 1);
        byte[] frame = Arrays.copyOfRange(TestImages.webpLossless(frameWidth, frameHeight), 12, 30);
        return riff(concat(vp8x, frame));
    }

    public static byte[] riff(byte[] chunks) {
        byte[] header = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'};
        int size = 4 + chunks.length;
        header[4] = (byte) size; header[5] = (byte) (size >> 8); header[6] = (byte) (size >> 16);
        return concat(header, chunks);
    }

    public static int indexOfMarker(byte[] jpeg, int marker) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
                return i;
            }
        }
        throw new IllegalArgumentException("no marker " + Integer.toHexString(marker));
    }

    /** The whole segment (marker, length, payload) of the first {@code marker}. */
    public static byte[] segment(byte[] jpeg, int marker) {
        int at = indexOfMarker(jpeg, marker);
        int length = ((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF);
        return Arrays.copyOfRange(jpeg, at, at + 2 + length);
    }

    /** A copy of a SOF segment stating another size (height at payload offset 1, width at 3). */
    public static byte[] resized(byte[] sof, int width, int height) {
        byte[] copy = sof.clone();
        copy[5] = (byte) (height >> 8); copy[6] = (byte) height;
        copy[7] = (byte) (width >> 8); copy[8] = (byte) width;
        return copy;
    }

    public static byte[] chunk(String type, byte[] data) {
        byte[] c = new byte[12 + data.length];
        putBe(c, 0, data.length);
        System.arraycopy(type.getBytes(), 0, c, 4, 4);
        System.arraycopy(data, 0, c, 8, data.length);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(c, 4, 4 + data.length);
        putBe(c, 8 + data.length, (int) crc.getValue());
        return c;
    }

    private static void putBe(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24); b[p + 1] = (byte) (v >>> 16); b[p + 2] = (byte) (v >>> 8); b[p + 3] = (byte) v;
    }

    private static void putLe24(byte[] b, int p, int v) {
        b[p] = (byte) v; b[p + 1] = (byte) (v >> 8); b[p + 2] = (byte) (v >> 16);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
