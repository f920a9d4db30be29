package io.cropsearch.evidence.bench;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.evidence.Evidence;
import io.cropsearch.validation.CropSearchValidator;
import io.cropsearch.validation.ValidatedSearch;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * JMH: the CPU cost of the steps of one warm request body of the overhead run (one 224x224 JPEG crop, about 18 KB,
 * 24 KB of JSON), to show which of them matter: the whole {@link CropSearchValidator#validateJson} and its parts as the
 * validator performs them, plus the base64 re-encoding and JSON serialisation of the upstream body. Single-threaded,
 * average time per operation. Run: {@code tools/evidence/costs.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RequestPathCosts {
    static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");
    static final Pattern DATA_URI = Pattern.compile("(?i)^data:image/(jpeg|jpg|png|webp);base64,");

    byte[] body;
    byte[] jpeg;
    String imageBase64;
    ObjectMapper strictJson;
    ObjectMapper plainJson;
    CropSearchValidator validator;
    Map<String, Object> upstream;

    @Setup
    public void setUp() {
        jpeg = Evidence.sampleCrop();
        body = Evidence.requestBody(jpeg, "FAST").getBytes(StandardCharsets.UTF_8);
        imageBase64 = Base64.getEncoder().encodeToString(jpeg);
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        strictJson = JsonMapper.builder(factory).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        plainJson = new ObjectMapper();
        Validator hv = Validation.byProvider(HibernateValidator.class).configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();
        validator = new CropSearchValidator(hv, defaults(CropSearchConfig.class));
        upstream = Map.of("images", java.util.List.of(imageBase64), "collection_id", "col-123", "max_results", 10,
                "min_score", 0.7, "search_mode", "FAST");
    }

    /** A config whose every value is its {@code @WithDefault}, nested interfaces included. */
    @SuppressWarnings("unchecked")
    static <T> T defaults(Class<T> type) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            var d = method.getAnnotation(io.smallrye.config.WithDefault.class);
            Class<?> r = method.getReturnType();
            if (d == null) {
                return r == Optional.class ? Optional.empty() : r.isInterface() ? defaults(r) : null;
            }
            String v = d.value();
            if (r == int.class) {
                return Integer.parseInt(v);
            }
            if (r == double.class) {
                return Double.parseDouble(v);
            }
            if (r == Duration.class) {
                return v.endsWith("ms") ? Duration.ofMillis(Long.parseLong(v.replace("ms", "")))
                        : Duration.ofSeconds(Long.parseLong(v.replace("s", "")));
            }
            return v;
        });
    }

    @Benchmark
    public ValidatedSearch wholeValidateJson() {
        return validator.validateJson(body);
    }

    @Benchmark
    public JsonNode strictJsonParse() throws Exception {
        try (JsonParser parser = strictJson.createParser(body)) {
            return strictJson.readTree(parser);
        }
    }

    @Benchmark
    public boolean base64RegexCheck() {
        return BASE64.matcher(imageBase64).matches();
    }

    @Benchmark
    public String dataUriPrefixStrip() {
        return DATA_URI.matcher(imageBase64.strip()).replaceFirst("");
    }

    @Benchmark
    public String stripLineBreaks() {
        return imageBase64.replace("\r", "").replace("\n", "");
    }

    @Benchmark
    public byte[] base64Decode() {
        return Base64.getDecoder().decode(imageBase64);
    }

    @Benchmark
    public Object jpegHeaderParse() throws Exception {
        return JpegMetadataReader.readMetadata(new ByteArrayInputStream(jpeg));
    }

    @Benchmark
    public String base64ReEncodeForUpstream() {
        return Base64.getEncoder().encodeToString(jpeg);
    }

    @Benchmark
    public byte[] upstreamBodyJson() throws Exception {
        return plainJson.writeValueAsBytes(upstream);
    }

    /** Without arguments runs every benchmark of this class; with arguments, they are JMH's own command line. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            new Runner(new OptionsBuilder().include(RequestPathCosts.class.getName()).build()).run();
        } else {
            new Runner(new org.openjdk.jmh.runner.options.CommandLineOptions(args)).run();
        }
    }
}
