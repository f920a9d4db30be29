package io.cropsearch.fuzz;

import com.sun.management.ThreadMXBean;
import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.engine.codec.ImageDecodeException;
import io.cropsearch.engine.codec.ImageDecoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.errors.ApiException;
import io.cropsearch.validation.CropSearchValidator;
import io.cropsearch.validation.SearchImage;
import io.cropsearch.validation.ValidatedSearch;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.validation.Validation;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import io.quarkus.runtime.configuration.DurationConverter;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.Function;

/**
 * What each fuzz target may do with hostile bytes: return normally or throw the one documented exception. Anything
 * else (another exception, an {@link Error}, a result outside the limits, memory beyond what the size limit allows) is
 * a finding, reported as an {@link AssertionError} that names it. Shared by the Jazzer fuzz tests and the plain JUnit
 * regression tests over the committed corpora, so both hold every input to the same rules.
 */
final class FuzzContracts {

    /**
     * Largest side the decoder target allows. Smaller than the function's 1024 so that each fuzzing run stays cheap;
     * the limit check and every decoding path are the same for any value.
     */
    static final int DECODER_MAX_SIDE = 256;

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final CropSearchConfig CONFIG = defaultConfig();
    private static final CropSearchValidator VALIDATOR = new CropSearchValidator(
            Validation.byProvider(HibernateValidator.class).configure()
                    .messageInterpolator(new ParameterMessageInterpolator())
                    .buildValidatorFactory().getValidator(),
            CONFIG);

    private FuzzContracts() {
    }

    /** The validator the targets (b) and (c) run, with the function's defaults (16-1024 px a side, 1 MiB an image). */
    static CropSearchValidator validator() {
        return VALIDATOR;
    }

    /** (a) The engine's decoders: an {@link Rgb} within {@code maxSide}, or {@link ImageDecodeException}. */
    static void decoder(byte[] bytes) {
        Rgb rgb = withinBudget("ImageDecoder.decode", bytes, FuzzContracts::decodeOnce);
        if (rgb != null && (rgb.width() > DECODER_MAX_SIDE || rgb.height() > DECODER_MAX_SIDE)) {
            throw finding("decoded " + rgb.width() + "x" + rgb.height() + " beyond maxSide " + DECODER_MAX_SIDE, bytes,
                    null);
        }
    }

    private static Rgb decodeOnce(byte[] bytes) {
        try {
            return ImageDecoder.decode(bytes, DECODER_MAX_SIDE);
        } catch (ImageDecodeException refused) {
            return null;
        } catch (RuntimeException | Error e) {
            throw finding("ImageDecoder.decode threw " + e.getClass().getName() + " (only ImageDecodeException is allowed)",
                    bytes, e);
        }
    }

    /**
     * (b) The validator's header checks on raw image bytes (the S3 path's entry): an image whose header size lies
     * within the configured limits, or an {@link ApiException} with a 4xx status.
     */
    static void imageHeader(byte[] bytes) {
        SearchImage.Inline image = withinBudget("checkImageBytes", bytes, FuzzContracts::checkImageOnce);
        if (image == null) {
            return;
        }
        CropSearchConfig.Limits limits = CONFIG.limits();
        if (image.width() < limits.minSidePx() || image.height() < limits.minSidePx()
                || image.width() > limits.maxSidePx() || image.height() > limits.maxSidePx()) {
            throw finding("checkImageBytes accepted " + image.width() + "x" + image.height() + " outside "
                    + limits.minSidePx() + ".." + limits.maxSidePx(), bytes, null);
        }
    }

    /** (c) The request validator on a raw HTTP body: a {@link ValidatedSearch}, or an {@link ApiException} with a 4xx status. */
    static void requestJson(byte[] body) {
        ValidatedSearch search = withinBudget("validateJson", body, FuzzContracts::validateJsonOnce);
        if (search == null) {
            return;
        }
        if (search.images().isEmpty() || search.images().size() > 3 || search.minScore() < 0.5
                || search.minScore() > 1 || search.searchMode() == null) {
            throw finding("validateJson accepted a request outside the contract: " + search, body, null);
        }
    }

    private static SearchImage.Inline checkImageOnce(byte[] bytes) {
        try {
            return VALIDATOR.checkImageBytes("images[0]", bytes);
        } catch (ApiException refused) {
            checkRefusal("checkImageBytes", bytes, refused);
            return null;
        } catch (RuntimeException | Error e) {
            throw finding("checkImageBytes threw " + e.getClass().getName() + " (only a 4xx ApiException is allowed)",
                    bytes, e);
        }
    }

    private static ValidatedSearch validateJsonOnce(byte[] body) {
        try {
            return VALIDATOR.validateJson(body);
        } catch (ApiException refused) {
            checkRefusal("validateJson", body, refused);
            return null;
        } catch (RuntimeException | Error e) {
            throw finding("validateJson threw " + e.getClass().getName() + " (only a 4xx ApiException is allowed)", body,
                    e);
        }
    }

    private static void checkRefusal(String what, byte[] bytes, ApiException refused) {
        if (refused.status() < 400 || refused.status() > 499) {
            throw finding(what + " answered status " + refused.status() + " (" + refused.getMessage() + "); only 4xx is allowed",
                    bytes, refused);
        }
        if (refused.getMessage() == null || refused.code() == null) {
            throw finding(what + " refused without message or code", bytes, refused);
        }
    }

    /**
     * Memory a call may take: per pixel allowed by the decoder's limit, a generous working set (planes, coefficients,
     * RGB output, rotation copy), plus a multiple of the input and a fixed allowance for tables and parsers. A decoder
     * that sizes buffers from a header it has not checked against the limit blows through this on the first input
     * that claims a large frame.
     */
    static long allocationBudget(int inputLength) {
        return 64L * DECODER_MAX_SIDE * DECODER_MAX_SIDE + 64L * inputLength + 16L * 1024 * 1024;
    }

    /**
     * Runs {@code call} and holds it to {@link #allocationBudget}. An input over budget is run a second time and only
     * a second excess counts: the first call into a decoder also pays for loading and initialising its classes and
     * tables, once per JVM.
     */
    private static <T> T withinBudget(String what, byte[] bytes, Function<byte[], T> call) {
        long budget = allocationBudget(bytes.length);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        T result = call.apply(bytes);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (allocated <= budget) {
            return result;
        }
        before = THREADS.getCurrentThreadAllocatedBytes();
        result = call.apply(bytes);
        allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (allocated > budget) {
            throw finding(what + " allocated " + allocated + " bytes for a " + bytes.length + "-byte input (budget "
                    + budget + ")", bytes, null);
        }
        return result;
    }

    private static AssertionError finding(String message, byte[] bytes, Throwable cause) {
        return new AssertionError("finding: " + message + "; input " + bytes.length + " bytes, starts "
                + hex(bytes, 32), cause);
    }

    static String hex(byte[] bytes, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(max, bytes.length); i++) {
            out.append(String.format("%02x", bytes[i] & 0xFF));
        }
        return bytes.length > max ? out + "..." : out.toString();
    }

    private static CropSearchConfig defaultConfig() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(CropSearchConfig.class)
                // the defaults use Quarkus's duration shorthand ("5s", "200ms")
                .withConverter(Duration.class, 200, new DurationConverter())
                .build();
        return config.getConfigMapping(CropSearchConfig.class);
    }
}
