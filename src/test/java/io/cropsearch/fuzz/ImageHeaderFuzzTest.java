package io.cropsearch.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * (b) The validator's image checks (signature, byte size, width and height from the header) through
 * {@code CropSearchValidator.checkImageBytes}, the entry S3 uploads use and inline base64 images end in. Replays
 * {@code src/test/resources/fuzz/image-header/}.
 */
class ImageHeaderFuzzTest {

    static Stream<Arguments> corpus() {
        return Corpus.of("image-header");
    }

    @MethodSource("corpus")
    @FuzzTest(maxDuration = "30s")
    void checkImageBytes(byte[] bytes) {
        FuzzContracts.imageHeader(bytes);
    }
}
