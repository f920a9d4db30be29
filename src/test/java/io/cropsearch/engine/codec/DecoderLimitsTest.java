package io.cropsearch.engine.codec;

import io.cropsearch.engine.Fixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Decompression bombs and contradictory headers: a caller's byte[] must not make the engine allocate gigabytes, and a
 * file must not be able to change its own size after the decoder sized its buffers.
 */
class DecoderLimitsTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A 60000x60000 RGB image would need 10.8 GB; refusing it must cost next to nothing. */
    private static void refusedCheaply(Executable decode) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        ImageDecodeException e = assertThrows(ImageDecodeException.class, decode);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("refused \"%s\" after %d ms, %d bytes allocated%n", e.getMessage(), millis, allocated);
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
        assertTrue(allocated < 1_000_000, "allocated " + allocated + " bytes before refusing");
        assertTrue(millis < 1000, "took " + millis + " ms");
    }

    @Test
    void jpegHeadersOf60000SquareAreRefusedBeforeAllocating() {
        for (String path : new String[] {"jpeg/sample2-face1.q90.jpg", "codec/progressive-420.jpg"}) {
            byte[] b = Fixtures.bytes(path).clone();
            int sof = indexOfSof(b);
            setU16(b, sof + 5, 60000); // height
            setU16(b, sof + 7, 60000); // width
            ImageDecoder.decode(Fixtures.bytes(path)); // warm up: class loading is not what is measured
            refusedCheaply(() -> JpegDecoder.decode(b));
            refusedCheaply(() -> ImageDecoder.decode(b, 59999));
            // a caller allowing 60000 still cannot get a 10.8 GB pixel array: one Java array holds at most 2 GB
            refusedCheaply(() -> ImageDecoder.decode(b, 60000));
        }
    }

    @Test
    void pngHeaderOf60000SquareIsRefusedBeforeInflating() {
        byte[] b = Fixtures.bytes("codec/interlaced-rgb8.png").clone();
        setInt(b, 16, 60000);
        setInt(b, 20, 60000);
        ImageDecoder.decode(Fixtures.bytes("codec/interlaced-rgb8.png"));
        refusedCheaply(() -> PngDecoder.decode(b));
        refusedCheaply(() -> ImageDecoder.decode(b, 59999));
        refusedCheaply(() -> ImageDecoder.decode(b, 60000));
    }

    @Test
    void callersMaximumSideIsInclusive() {
        for (String path : new String[] {"codec/progressive-444.jpg", "codec/interlaced-rgb16.png"}) {
            byte[] b = Fixtures.bytes(path);
            assertEquals(120, ImageDecoder.decode(b, 120).width());
            ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(b, 119));
            assertTrue(e.getMessage().contains("119"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> JpegDecoder.decode(Fixtures.bytes("codec/grey1.png"), 0));
    }

    @Test
    void defaultMaximumIs4096() {
        byte[] b = Fixtures.bytes("jpeg/sample2-face1.q90.jpg").clone();
        setU16(b, indexOfSof(b) + 7, 4097);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(b));
        assertTrue(e.getMessage().contains("4096"), e.getMessage());
        assertEquals(4096, ImageDecoder.DEFAULT_MAX_SIDE);
        assertEquals(4096, JpegDecoder.DEFAULT_MAX_SIDE);
        assertEquals(4096, PngDecoder.DEFAULT_MAX_SIDE);
    }

    @Test
    void jpegWithTwoFrameHeadersIsRefused() {
        byte[] b = Fixtures.bytes("codec/progressive-420.jpg");
        int sof = indexOfSof(b);
        int len = ((b[sof + 2] & 0xFF) << 8) | (b[sof + 3] & 0xFF);
        byte[] second = java.util.Arrays.copyOfRange(b, sof, sof + 2 + len);
        setU16(second, 7, 16); // a second frame, 16 pixels wide, that disagrees with the first
        byte[] twice = concat(java.util.Arrays.copyOf(b, sof + 2 + len), second,
                java.util.Arrays.copyOfRange(b, sof + 2 + len, b.length));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> JpegDecoder.decode(twice));
        assertTrue(e.getMessage().contains("two frame headers"), e.getMessage());
    }

    @Test
    void pngWithTwoHeaderChunksIsRefused() {
        byte[] b = Fixtures.bytes("codec/grey4.png");
        byte[] ihdr = java.util.Arrays.copyOfRange(b, 16, 29);
        setInt(ihdr, 0, 8); // 8 pixels wide instead of 120
        byte[] twice = concat(java.util.Arrays.copyOf(b, 33), chunk("IHDR", ihdr), java.util.Arrays.copyOfRange(b, 33,
                b.length));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> PngDecoder.decode(twice));
        assertTrue(e.getMessage().contains("two IHDR"), e.getMessage());
    }

    private static int indexOfSof(byte[] b) {
        for (int i = 2; i + 1 < b.length; i++) {
            int m = b[i + 1] & 0xFF;
            if ((b[i] & 0xFF) == 0xFF && (m == 0xC0 || m == 0xC2)) {
                return i;
            }
        }
        throw new AssertionError("no SOF0/SOF2");
    }

    private static void setU16(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
    }

    private static void setInt(byte[] b, int p, int v) {
        setU16(b, p, v >>> 16);
        setU16(b, p + 2, v);
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] out = new byte[12 + data.length];
        setInt(out, 0, data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, out, 4, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(out, 4, 4 + data.length);
        setInt(out, 8 + data.length, (int) crc.getValue());
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
