package io.cropsearch.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * (a) The embedded engine's pure-Java decoders (JPEG baseline and progressive, PNG, WebP lossy and lossless) on
 * arbitrary bytes. In a normal test run this replays {@code src/test/resources/fuzz/decoder/}; with
 * {@code JAZZER_FUZZ=1} Jazzer mutates from there (docs/ENGINE.md, "Fuzzing").
 */
class ImageDecoderFuzzTest {

    static Stream<Arguments> corpus() {
        return Corpus.of("decoder");
    }

    @MethodSource("corpus")
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] bytes) {
        FuzzContracts.decoder(bytes);
    }
}
