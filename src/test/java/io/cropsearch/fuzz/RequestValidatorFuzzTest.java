package io.cropsearch.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * (c) The request validator on raw HTTP bodies ({@code CropSearchValidator.validateJson}): JSON parsing, field types,
 * the contract's ranges, base64 and data URIs, URL policy and the image checks behind them. Replays
 * {@code src/test/resources/fuzz/request-json/}; the dictionary gives the mutator the contract's words.
 */
class RequestValidatorFuzzTest {

    static Stream<Arguments> corpus() {
        return Corpus.of("request-json");
    }

    @MethodSource("corpus")
    @DictionaryEntries({"\"images\"", "\"collection_id\"", "\"max_results\"", "\"min_score\"", "\"search_mode\"",
            "\"FAST\"", "\"ACCURATE\"", "\"data:image/png;base64,", "\"data:image/jpeg;base64,",
            "\"data:image/webp;base64,", "\"https://", "[::1]", "169.254.169.254", "1e400", "-0", "0.5", "null", "true",
            "{", "}", "[", "]", ":", ",", "iVBORw0KGgo", "/9j/", "UklGR"})
    @FuzzTest(maxDuration = "30s")
    void validateJson(byte[] body) {
        FuzzContracts.requestJson(body);
    }
}
