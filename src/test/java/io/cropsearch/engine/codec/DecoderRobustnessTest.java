package io.cropsearch.engine.codec;

import io.cropsearch.engine.Fixtures;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Images come from callers: corrupt or truncated bytes must end in an {@link ImageDecodeException} (or a decode of
 * whatever survived), never another exception or a hang.
 */
class DecoderRobustnessTest {

    private static void decodeMutants(byte[] original, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 300; i++) {
            byte[] b = original.clone();
            int kind = i % 3;
            if (kind == 0) {
                for (int m = 0; m < 1 + random.nextInt(8); m++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            } else if (kind == 1) {
                b = Arrays.copyOf(b, 2 + random.nextInt(b.length - 2));
            } else {
                // headers are where lengths and sizes live
                int p = random.nextInt(Math.min(b.length, 700));
                b[p] = (byte) random.nextInt(256);
            }
            try {
                ImageDecoder.decode(b);
            } catch (ImageDecodeException expected) {
                // fine
            } catch (RuntimeException | OutOfMemoryError e) {
                fail("mutant " + i + " (kind " + kind + ") threw " + e, e);
            }
        }
    }

    @Test
    void corruptJpegsFailCleanly() {
        decodeMutants(Fixtures.bytes("jpeg/sample2-face1.q90.jpg"), 1);
        decodeMutants(Fixtures.bytes("jpeg/sample2-face1.420.q90.java.jpg"), 2);
    }

    @Test
    void corruptProgressiveAndFourComponentJpegsFailCleanly() {
        // many scans, each with its own header, tables and EOB runs: more places for a flipped byte to land
        decodeMutants(Fixtures.bytes("codec/progressive-420-restart.jpg"), 4);
        decodeMutants(Fixtures.bytes("codec/progressive-444.jpg"), 5);
        decodeMutants(Fixtures.bytes("codec/multiscan-baseline-420.jpg"), 6);
        decodeMutants(Fixtures.bytes("codec/ycck-adobe-progressive.jpg"), 7);
        decodeMutants(Fixtures.bytes("codec/exif-orientation-6.jpg"), 8);
    }

    @Test
    void corruptPngsFailCleanly() {
        decodeMutants(Fixtures.bytes("crops/sample1-face1.png"), 3);
        decodeMutants(Fixtures.bytes("codec/interlaced-rgb16.png"), 9);
        decodeMutants(Fixtures.bytes("codec/palette-trns.png"), 10);
        decodeMutants(Fixtures.bytes("codec/grey2.png"), 11);
    }
}
