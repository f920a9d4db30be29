package io.cropsearch.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.entrypoints.CropSearchResource;
import io.cropsearch.entrypoints.DetectResource;
import io.cropsearch.entrypoints.FaceMatchResource;
import io.cropsearch.entrypoints.StandardSearchResource;
import io.cropsearch.model.SearchMode;
import jakarta.ws.rs.POST;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.cropsearch.infra.CloudFormationTemplate.getAttTarget;
import static io.cropsearch.infra.CloudFormationTemplate.refTarget;
import static io.cropsearch.infra.CloudFormationTemplate.subText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Holds the SAM templates against the code and the sample events: handlers, environment variables, the results
 * table's keys, the S3 notifications, IAM, the token's source, concurrency, the failure destination. A plain JUnit
 * test: it reads files and classes, it starts no application.
 */
class TemplateTest {
    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final Path NATIVE_TEMPLATE = PROJECT.resolve("infra/template.yaml");
    static final Path JVM_TEMPLATE = PROJECT.resolve("infra/template-jvm.yaml");
    static final Path EVENTS = PROJECT.resolve("infra/events");
    static final Path MAIN_SOURCES = PROJECT.resolve("src/main");

    static final String FUNCTION_TYPE = "AWS::Serverless::Function";
    static final String ROUTE_PATH = "/v2/face-recognition/search/crops";
    static final String UPLOAD_PREFIX = "crops/";
    static final Set<String> IMAGE_SUFFIXES = Set.of(".jpg", ".jpeg", ".png", ".webp");
    /** S3 suffix filters are case-sensitive, the handler is not: both spellings are notified. */
    static final Set<String> NOTIFIED_SUFFIXES = Set.of(".jpg", ".jpeg", ".png", ".webp", ".JPG", ".JPEG", ".PNG", ".WEBP");
    static final String JVM_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    static final String NATIVE_HANDLER = "not.used.in.provided.runtime";

    /**
     * Every HTTP route the templates expose, with the JAX-RS resource class serving it: the source of truth that
     * {@link #everyHttpRouteIsAPostAResourceServesWithPayloadV2} holds the templates and the code to.
     */
    static final Map<String, Class<?>> ROUTES = Map.of(
            ROUTE_PATH, CropSearchResource.class,
            FaceMatchResource.VERIFY_PATH, FaceMatchResource.class,
            FaceMatchResource.COMPARE_PATH, FaceMatchResource.class,
            StandardSearchResource.PATH, StandardSearchResource.class,
            DetectResource.PATH, DetectResource.class);
    /** Sample events of the routes other than the crop search, by file: each must be a request for its route. */
    static final Map<String, String> ROUTE_EVENTS = Map.of(
            "http-verify.json", FaceMatchResource.VERIFY_PATH,
            "http-compare.json", FaceMatchResource.COMPARE_PATH,
            "http-search-photo.json", StandardSearchResource.PATH,
            "http-detect.json", DetectResource.PATH);

    static final List<String> HTTP_EVENTS = List.of(
            "http-search-valid.json", "http-search-invalid-min-score.json", "http-search-missing-auth.json");
    static final List<String> S3_EVENTS = List.of(
            "s3-put-single.json", "s3-put-multi.json", "s3-put-encoded-key.json", "s3-put-photo.json");

    /**
     * The record writer's item shape: these mirror the constants of {@code io.cropsearch.records.ItemShape}
     * ({@link #itemShapeConstantsAreTheOnesTheTemplateUses} compares them whenever that class is on the classpath).
     */
    static final Map<String, String> ITEM_SHAPE = orderedMap(
            "PK", "pk", "SK", "sk",
            "GSI1", "byCollection", "GSI1_PK", "gsi1pk", "GSI1_SK", "gsi1sk",
            "GSI2", "byPerson", "GSI2_PK", "gsi2pk", "GSI2_SK", "gsi2sk",
            "TTL", "expiresAt");

    /** Variables Lambda reserves or sets itself; a template must not set them. */
    static final Set<String> LAMBDA_RESERVED = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
            "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    /** Variables the function needs on AWS; RESULTS_FILE is the local sink and has no business there. */
    static final Set<String> REQUIRED_ON_AWS = Set.of("VERIFIK_BASE_URL", "VERIFIK_TOKEN_SECRET", "SEARCH_BACKEND",
            "RESULTS_TABLE", "GALLERY_TABLE", "CROP_SEARCH_S3_DEFAULT_MIN_SCORE", "CROP_SEARCH_S3_DEFAULT_SEARCH_MODE",
            "API_GUARDED_BY_AUTHORIZER");

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Named<CloudFormationTemplate>> templates() {
        return Stream.of(Named.of("template.yaml (native)", CloudFormationTemplate.read(NATIVE_TEMPLATE)),
                Named.of("template-jvm.yaml (JVM)", CloudFormationTemplate.read(JVM_TEMPLATE)));
    }

    // ---------------------------------------------------------------------------------------------- the function

    @Test
    void nativeTemplateRunsTheNativeExecutableOnProvidedAl2023ForX86_64() {
        CloudFormationTemplate t = CloudFormationTemplate.read(NATIVE_TEMPLATE);
        JsonNode fn = functionProperties(t);
        assertEquals("provided.al2023", fn.path("Runtime").asText());
        assertEquals(NATIVE_HANDLER, fn.path("Handler").asText());
        assertEquals(List.of("x86_64"), texts(fn.path("Architectures")), "the binary is built for x86-64-v2");
        assertEquals("true", environment(t).path("DISABLE_SIGNAL_HANDLERS").asText(),
                "native Lambdas run with DISABLE_SIGNAL_HANDLERS=true");
        assertTrue(fn.path("SnapStart").isMissingNode(), "SnapStart is a JVM feature");
    }

    @Test
    void nativeBuildTargetsTheCpuLevelLambdaGuarantees() throws Exception {
        Map<String, String> properties = applicationProperties();
        String march = properties.getOrDefault("quarkus.native.march", properties.get("%prod.quarkus.native.march"));
        assertEquals("x86-64-v2", march, "provided.al2023 on x86_64 guarantees only x86-64-v2");
        properties.forEach((key, value) -> {
            if (key.endsWith("quarkus.native.additional-build-args")) {
                assertFalse(value.contains("-march"), "a second -march in " + key + " would contradict quarkus.native.march");
            }
        });

        // ./mvnw package -Dnative must switch the native build on.
        Element nativeProfile = pomProfile("native");
        assertEquals("native", text(nativeProfile, "activation/property/name"));
        assertEquals("true", text(nativeProfile, "properties/quarkus.native.enabled"));
    }

    @Test
    void jvmTemplateRunsQuarkusStreamHandlerOnJava25WithSnapStart() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.read(JVM_TEMPLATE);
        JsonNode fn = functionProperties(t);
        assertEquals("java25", fn.path("Runtime").asText());
        assertEquals(JVM_HANDLER, fn.path("Handler").asText());
        assertEquals("PublishedVersions", fn.path("SnapStart").path("ApplyOn").asText());

        String[] handler = JVM_HANDLER.split("::");
        Class<?> handlerClass = Class.forName(handler[0], false, getClass().getClassLoader());
        Method method = handlerClass.getMethod(handler[1], InputStream.class, OutputStream.class,
                com.amazonaws.services.lambda.runtime.Context.class);
        assertTrue(java.lang.reflect.Modifier.isPublic(method.getModifiers()));
    }

    /**
     * The JVM variant names the AOT cache of the deployed backend that tools/startup/AotTrain.java puts into the zip,
     * where Lambda unpacks it, and in the one form that cannot stop the JVM from starting: {@code -XX:AOTCache} (and
     * the training flags) are refused next to the runtime's {@code -Xshare:auto}, while {@code -XX:SharedArchiveFile}
     * skips an unusable cache. The embedded backend's compiler directives are a file that Quarkus copies into the zip
     * from src/main/zip.jvm ({@link #compilerDirectivesKeepC2ForTheFaceEngineAloneAndTheJvmAcceptsThem}).
     */
    @Test
    void jvmTemplateNamesTheZipsAotCacheSoThatAMissingOneCostsOnlySpeed() throws IOException {
        CloudFormationTemplate t = CloudFormationTemplate.read(JVM_TEMPLATE);
        JsonNode choice = environment(t).path("JAVA_TOOL_OPTIONS").path("Fn::If");
        assertEquals(3, choice.size(), "JAVA_TOOL_OPTIONS: !If [EmbeddedBackend, embedded's, Verifik's]");
        assertEquals("embedded", t.root.path("Conditions").path(choice.get(0).asText()).path("Fn::Equals").get(1).asText());
        String trainer = Files.readString(PROJECT.resolve("tools/startup/AotTrain.java"));
        Matcher entries = Pattern.compile("ENTRIES = Map.of\\(\"verifik\", \"([^\"]+)\",\\s*\"embedded\", \"([^\"]+)\"\\)")
                .matcher(trainer);
        assertTrue(entries.find(), "AotTrain.ENTRIES: the zip entry of each backend's cache");
        Matcher options = Pattern.compile("OPTIONS = Map.of\\(\"verifik\", \"([^\"]+)\",\\s*\"embedded\", \"([^\"]+)\"\\s*\\+\\s*\"([^\"]+)\"\\)")
                .matcher(trainer);
        assertTrue(options.find(), "AotTrain.OPTIONS: the JVM options each backend's cache is trained under");
        String opens = "--add-opens=java.base/java.lang=ALL-UNNAMED";
        String embedded = options.group(2) + options.group(3);
        assertEquals("-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=/var/task/" + COMPILER_DIRECTIVES + " " + opens,
                embedded, "embedded: C2 for the face engine alone");
        assertEquals("-XX:TieredStopAtLevel=1 " + opens, options.group(1), "Verifik: C1 only");
        assertEquals("-XX:SharedArchiveFile=/var/task/" + entries.group(2) + " " + embedded, choice.get(1).asText(),
                "embedded: its own cache, run as it was trained");
        assertEquals("-XX:SharedArchiveFile=/var/task/" + entries.group(1) + " " + options.group(1), choice.get(2).asText(),
                "Verifik: its own cache, run as it was trained");
        for (String deployed : List.of(choice.get(1).asText(), choice.get(2).asText())) {
            for (String refused : List.of("-XX:AOTCache", "-XX:AOTMode", "-Xshare:on", "-XX:AOTCacheOutput")) {
                assertFalse(deployed.contains(refused), refused + " can stop the JVM from starting");
            }
        }
        assertFalse(environment(CloudFormationTemplate.read(NATIVE_TEMPLATE)).has("JAVA_TOOL_OPTIONS"),
                "the native executable has no JVM");
        // A cache loads only on the JDK build that wrote it: the runtime changes only when the function is deployed
        // (with a cache trained in the newest image), never under a deployed cache (docs/DEPLOY.md).
        assertEquals("FunctionUpdate", functionProperties(t).path("RuntimeManagementConfig").path("UpdateRuntimeOn").asText());
    }

    /** Where the embedded backend's compiler directives sit in the zip (and so under /var/task). */
    static final String COMPILER_DIRECTIVES = "jvm/compiler-directives.json";

    /**
     * The directives give C2 to the face engine's packages and to nothing else (the rest stops at C1, as with
     * {@code -XX:TieredStopAtLevel=1}), and a JVM parses them: a missing or malformed file stops the JVM from
     * starting, so this runs the real parser ({@code -XX:CompilerDirectivesFile}, HotSpot's, in a child JVM). A
     * renamed engine package would silently lose C2: the first pattern must cover the packages of the nets, the
     * pipeline, the gallery index and the codecs.
     */
    @Test
    void compilerDirectivesKeepC2ForTheFaceEngineAloneAndTheJvmAcceptsThem() throws Exception {
        Path file = PROJECT.resolve("src/main/zip.jvm").resolve(COMPILER_DIRECTIVES);
        JsonNode directives = new ObjectMapper().readTree(file.toFile());
        assertEquals(2, directives.size(), "engine first (the first match wins), then everything else");
        JsonNode engine = directives.get(0);
        JsonNode rest = directives.get(1);
        assertFalse(engine.path("c2").path("Exclude").asBoolean(true), "the engine keeps C2");
        assertEquals("*.*", rest.path("match").asText());
        assertTrue(rest.path("c2").path("Exclude").asBoolean(false), "everything else: no C2");
        String pattern = engine.path("match").asText();
        assertTrue(pattern.endsWith("*.*"), pattern);
        String prefix = pattern.substring(0, pattern.length() - "*.*".length()).replace('/', '.');
        for (String hot : List.of("io.cropsearch.engine.nn.Conv", "io.cropsearch.engine.face.FacePipeline",
                "io.cropsearch.engine.index.GalleryIndex", "io.cropsearch.engine.codec.JpegDecoder")) {
            Class<?> type = Class.forName(hot, false, getClass().getClassLoader()); // fails when it was moved
            assertTrue(type.getName().startsWith(prefix), type.getName() + " is outside " + pattern);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process jvm = new ProcessBuilder(java, "-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=" + file, "-version").redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, jvm.waitFor(), output);
        assertTrue(output.contains("2 compiler directives added"), output);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void deploysTheZipTheQuarkusBuildWritesThroughAPublishedAlias(CloudFormationTemplate t) {
        JsonNode fn = functionProperties(t);
        Path codeUri = t.file.getParent().resolve(fn.path("CodeUri").asText()).normalize();
        assertEquals(PROJECT.resolve("target/function.zip"), codeUri, "CodeUri resolves relative to the template");
        assertFalse(fn.path("AutoPublishAlias").asText().isBlank(),
                "event sources invoke a published alias (SnapStart snapshots published versions)");
        assertTrue(fn.path("Timeout").asInt() > 0 && fn.path("Timeout").asInt() <= 29,
                "the function must answer within API Gateway's 30 s integration limit");
    }

    @Test
    void nativeAndJvmTemplatesDeclareTheSameResources() {
        CloudFormationTemplate nativeT = CloudFormationTemplate.read(NATIVE_TEMPLATE);
        CloudFormationTemplate jvmT = CloudFormationTemplate.read(JVM_TEMPLATE);
        assertEquals(withoutRuntimeSpecifics(nativeT).toPrettyString(), withoutRuntimeSpecifics(jvmT).toPrettyString(),
                "the variants may differ only in Runtime, Handler, SnapStart, RuntimeManagementConfig, "
                        + "DISABLE_SIGNAL_HANDLERS, JAVA_TOOL_OPTIONS, "
                        + "descriptions "
                        + "and the memory default");
    }

    // ---------------------------------------------------------------------------------------------- environment

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void everyEnvironmentVariableIsOneTheCodeOrTheQuarkusRuntimeReads(CloudFormationTemplate t) throws IOException {
        ConfigNamesInCode code = ConfigNamesInCode.scan(MAIN_SOURCES);
        Map<String, String> unread = new TreeMap<>();
        for (String name : fieldNames(environment(t))) {
            if (name.equals("JAVA_TOOL_OPTIONS")) {
                continue; // read by the JVM itself (checked above, in jvmTemplateNamesTheZipsAotCache...)
            }
            if (name.equals("DISABLE_SIGNAL_HANDLERS")) {
                assertTrue(classMentions("io/quarkus/runtime/ApplicationLifecycleManager.class", name),
                        "Quarkus' ApplicationLifecycleManager reads " + name);
            } else if (!code.reads(name)) {
                unread.put(name, "no ${" + name + "} in application.properties, no \"" + name
                        + "\" literal and no config key with that environment form in src/main");
            }
        }
        assertTrue(unread.isEmpty(), "variables the template sets but the code never reads: " + unread);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void environmentCarriesWhatTheFunctionNeedsOnAwsAndNothingLambdaReserves(CloudFormationTemplate t) {
        JsonNode env = environment(t);
        Set<String> names = new TreeSet<>(fieldNames(env));
        assertTrue(names.containsAll(REQUIRED_ON_AWS), "missing: " + difference(REQUIRED_ON_AWS, names));
        assertFalse(names.contains("RESULTS_FILE"), "the JSON-lines sink is for local runs only");
        assertTrue(difference(names, LAMBDA_RESERVED).size() == names.size(),
                "Lambda rejects reserved variables: " + difference(names, difference(names, LAMBDA_RESERVED)));

        assertEquals(Set.of(resultsTable(t), galleryTable(t)), new HashSet<>(t.resourcesOfType("AWS::DynamoDB::Table")),
                "RESULTS_TABLE and GALLERY_TABLE name the template's two tables");
        assertFalse(resultsTable(t).equals(galleryTable(t)), "records and the gallery keep to tables of their own");

        JsonNode backend = t.parameter(refTarget(env.get("SEARCH_BACKEND")));
        assertEquals(Set.of("verifik", "embedded"), new HashSet<>(texts(backend.path("AllowedValues"))));

        JsonNode mode = t.parameter(refTarget(env.get("CROP_SEARCH_S3_DEFAULT_SEARCH_MODE")));
        assertEquals(Arrays.stream(SearchMode.values()).map(Enum::name).collect(Collectors.toSet()),
                new HashSet<>(texts(mode.path("AllowedValues"))), "the contract's search modes");
        assertTrue(texts(mode.path("AllowedValues")).contains(mode.path("Default").asText()));

        JsonNode minScore = t.parameter(refTarget(env.get("CROP_SEARCH_S3_DEFAULT_MIN_SCORE")));
        BigDecimal defaultScore = new BigDecimal(minScore.path("Default").asText());
        assertTrue(defaultScore.compareTo(new BigDecimal("0.5")) >= 0 && defaultScore.compareTo(BigDecimal.ONE) <= 0,
                "the contract's min_score range is 0.5-1");
        Pattern allowed = Pattern.compile(minScore.path("AllowedPattern").asText());
        for (String ok : List.of("0.5", "0.7", "0.95", "1", "1.0")) {
            assertTrue(allowed.matcher(ok).matches(), ok + " is a valid min_score");
        }
        for (String bad : List.of("0.3", "0.49", "1.5", "2", "abc", "")) {
            assertFalse(allowed.matcher(bad).matches(), bad + " is not a valid min_score");
        }

        JsonNode baseUrl = t.parameter(refTarget(env.get("VERIFIK_BASE_URL")));
        Matcher fallback = Pattern.compile("\\$\\{VERIFIK_BASE_URL:([^}]*)}")
                .matcher(applicationProperties().getOrDefault("quarkus.rest-client.verifik.url", ""));
        assertTrue(fallback.find(), "application.properties maps VERIFIK_BASE_URL to the REST client");
        assertEquals(fallback.group(1), baseUrl.path("Default").asText(), "the same default upstream as the code");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void upstreamTokenIsReadAtRunTimeFromOneSecretNeverPlacedInTheEnvironment(CloudFormationTemplate t) throws Exception {
        JsonNode env = environment(t);
        assertFalse(env.has("VERIFIK_TOKEN"), "a value in the environment is readable by lambda:GetFunctionConfiguration "
                + "and a rotation would need a redeploy: the function reads the secret at run time");
        for (Path template : List.of(NATIVE_TEMPLATE, JVM_TEMPLATE)) {
            assertFalse(Files.readString(template).contains("{{resolve:secretsmanager"),
                    template.getFileName() + ": no dynamic reference puts a secret's value into the deployed configuration");
        }

        String secretParameterName = refTarget(env.get("VERIFIK_TOKEN_SECRET"));
        assertNotNull(secretParameterName, "VERIFIK_TOKEN_SECRET names the secret through a parameter");
        JsonNode secretParameter = t.parameter(secretParameterName);
        assertEquals("String", secretParameter.path("Type").asText());
        assertTrue(secretParameter.path("Default").isMissingNode(), "the deployer names the secret");
        Pattern arn = Pattern.compile(secretParameter.path("AllowedPattern").asText());
        assertTrue(arn.matcher("arn:aws:secretsmanager:eu-west-1:123456789012:secret:verifik/token-AbCdEf").matches());
        for (String notAnArn : List.of("verifik/token", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:*",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:verifik-??????", "eyJhbGciOiJIUzI1NiJ9.e30.sig")) {
            assertFalse(arn.matcher(notAnArn).matches(), "only one secret's full ARN (the IAM grant names it): " + notAnArn);
        }

        // The role may read this one secret and no other.
        List<JsonNode> reads = new ArrayList<>();
        collectStatements(t.resources(), reads);
        reads.removeIf(st -> !texts(st.path("Action").isArray() ? st.path("Action")
                : JSON.createArrayNode().add(st.path("Action"))).stream().anyMatch(a -> a.startsWith("secretsmanager:")));
        assertEquals(1, reads.size(), "one statement grants Secrets Manager access");
        assertEquals(List.of("secretsmanager:GetSecretValue"), texts(reads.get(0).path("Action")));
        assertEquals(secretParameterName, refTarget(reads.get(0).path("Resource")), "on the one secret the function reads");

        // The code reads what the template passes.
        Matcher mapped = Pattern.compile("\\$\\{VERIFIK_TOKEN_SECRET:[^}]*}")
                .matcher(applicationProperties().getOrDefault("crop-search.secrets.verifik-token-secret", ""));
        assertTrue(mapped.find(), "application.properties maps VERIFIK_TOKEN_SECRET to crop-search.secrets.verifik-token-secret");

        for (Iterator<Map.Entry<String, JsonNode>> it = t.root.path("Parameters").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> parameter = it.next();
            assertFalse(parameter.getValue().path("NoEcho").asBoolean(false),
                    parameter.getKey() + ": no secret is passed as a (NoEcho) parameter");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> variable = it.next();
            String ref = refTarget(variable.getValue());
            if (ref != null && t.root.path("Parameters").has(ref) && !ref.equals(secretParameterName)) {
                assertFalse(ref.toLowerCase(Locale.ROOT).contains("token") || ref.toLowerCase(Locale.ROOT).contains("secret"),
                        variable.getKey() + " takes a secret-looking parameter directly: " + ref);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void everyRouteOfTheHttpApiRequiresAJwtFromTheConfiguredIssuerAndAudience(CloudFormationTemplate t) {
        Map<String, JsonNode> routes = eventsOfType(t, "HttpApi");
        assertFalse(routes.isEmpty());
        for (Map.Entry<String, JsonNode> route : routes.entrySet()) {
            String api = refTarget(route.getValue().path("Properties").path("ApiId"));
            assertNotNull(api, route.getKey() + " belongs to the template's HTTP API (SAM's implicit one has no authorizer)");
            JsonNode routeAuth = route.getValue().path("Properties").path("Auth");
            assertTrue(routeAuth.isMissingNode(), route.getKey() + " must not override the default authorizer: " + routeAuth);

            JsonNode auth = t.properties(api).path("Auth");
            String authorizer = auth.path("DefaultAuthorizer").asText("");
            assertFalse(authorizer.isEmpty(), api + " has a default authorizer");
            JsonNode jwt = auth.path("Authorizers").path(authorizer);
            assertEquals("$request.header.Authorization", jwt.path("IdentitySource").asText(),
                    "the bearer token the function requires is the one the authorizer checks");
            JsonNode issuer = t.parameter(refTarget(jwt.path("JwtConfiguration").path("issuer")));
            assertTrue(issuer.path("Default").isMissingNode(), "the deployer names the issuer");
            assertTrue(Pattern.compile(issuer.path("AllowedPattern").asText()).matcher("https://issuer.example").matches());
            assertFalse(Pattern.compile(issuer.path("AllowedPattern").asText()).matcher("http://issuer.example").matches(),
                    "JWKS over plain HTTP could be forged");
            JsonNode audience = jwt.path("JwtConfiguration").path("audience");
            assertEquals(1, audience.size());
            JsonNode audienceParameter = t.parameter(refTarget(audience.get(0)));
            assertTrue(audienceParameter.path("Default").isMissingNode() && audienceParameter.path("MinLength").asInt() >= 1,
                    "an audience must be named: without one any token of the issuer would pass");
        }
        // The function starts with the embedded backend on AWS only when told an authorizer guards the API.
        assertEquals("true", environment(t).path("API_GUARDED_BY_AUTHORIZER").asText());
        Matcher mapped = Pattern.compile("\\$\\{API_GUARDED_BY_AUTHORIZER:false}")
                .matcher(applicationProperties().getOrDefault("crop-search.auth.guarded-by-authorizer", ""));
        assertTrue(mapped.find(), "application.properties maps API_GUARDED_BY_AUTHORIZER, off by default");
    }

    @Test
    void localEnvExampleOverridesExactlyTheVariablesTheTemplateDeclares() throws IOException {
        // sam local --env-vars only overrides variables the template declares, keyed by the function's logical id.
        CloudFormationTemplate t = CloudFormationTemplate.read(JVM_TEMPLATE);
        JsonNode example = JSON.readTree(PROJECT.resolve("infra/env.local.example.json").toFile());
        String function = t.onlyResourceOfType(FUNCTION_TYPE);
        assertEquals(Set.of(function), fieldNames(example));
        assertEquals(fieldNames(environment(t)), fieldNames(example.get(function)));
    }

    // ---------------------------------------------------------------------------------------------- results table

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void resultsTableHasTheRecordWritersKeysIndexesAndTtl(CloudFormationTemplate t) {
        JsonNode table = t.properties(resultsTable(t));
        assertEquals("PAY_PER_REQUEST", table.path("BillingMode").asText());
        assertTrue(table.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean());

        assertEquals(keySchema(ITEM_SHAPE.get("PK"), ITEM_SHAPE.get("SK")), keySchema(table.path("KeySchema")));

        Map<String, String> attributes = new TreeMap<>();
        table.path("AttributeDefinitions").forEach(a ->
                attributes.put(a.path("AttributeName").asText(), a.path("AttributeType").asText()));
        Map<String, String> expectedAttributes = new TreeMap<>();
        for (String key : List.of("PK", "SK", "GSI1_PK", "GSI1_SK", "GSI2_PK", "GSI2_SK")) {
            expectedAttributes.put(ITEM_SHAPE.get(key), "S");
        }
        assertEquals(expectedAttributes, attributes, "every key attribute is a string, and only keys are declared");

        Map<String, JsonNode> indexes = new TreeMap<>();
        table.path("GlobalSecondaryIndexes").forEach(i -> indexes.put(i.path("IndexName").asText(), i));
        assertEquals(new TreeSet<>(List.of(ITEM_SHAPE.get("GSI1"), ITEM_SHAPE.get("GSI2"))), indexes.keySet());
        assertEquals(keySchema(ITEM_SHAPE.get("GSI1_PK"), ITEM_SHAPE.get("GSI1_SK")),
                keySchema(indexes.get(ITEM_SHAPE.get("GSI1")).path("KeySchema")));
        assertEquals(keySchema(ITEM_SHAPE.get("GSI2_PK"), ITEM_SHAPE.get("GSI2_SK")),
                keySchema(indexes.get(ITEM_SHAPE.get("GSI2")).path("KeySchema")));
        indexes.forEach((name, index) -> assertEquals("ALL", index.path("Projection").path("ProjectionType").asText(),
                name + " projects every attribute"));

        assertEquals(ITEM_SHAPE.get("TTL"), table.path("TimeToLiveSpecification").path("AttributeName").asText());
        assertTrue(table.path("TimeToLiveSpecification").path("Enabled").asBoolean());
    }

    // ---------------------------------------------------------------------------------------------- gallery table

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void galleryTableHasTheGalleryStoresKeysAndNeverExpiresItems(CloudFormationTemplate t) throws Exception {
        JsonNode table = t.properties(galleryTable(t));
        assertEquals("PAY_PER_REQUEST", table.path("BillingMode").asText());
        assertTrue(table.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean());
        assertEquals("Retain", t.resource(galleryTable(t)).path("DeletionPolicy").asText(), "enrolments outlive the stack");

        Class<?> store = Class.forName("io.cropsearch.embedded.DynamoDbGalleryStore", false, getClass().getClassLoader());
        String pk = (String) store.getField("PK").get(null);
        String sk = (String) store.getField("SK").get(null);
        assertEquals(keySchema(pk, sk), keySchema(table.path("KeySchema")));
        Map<String, String> attributes = new TreeMap<>();
        table.path("AttributeDefinitions").forEach(a ->
                attributes.put(a.path("AttributeName").asText(), a.path("AttributeType").asText()));
        assertEquals(new TreeMap<>(Map.of(pk, "S", sk, "S")), attributes);
        assertTrue(table.path("GlobalSecondaryIndexes").isMissingNode(), "the store loads by Scan, no index to pay for");
        assertTrue(table.path("TimeToLiveSpecification").isMissingNode(), "an enrolled person stays until deleted");
    }

    @Test
    void itemShapeConstantsAreTheOnesTheTemplateUses() throws Exception {
        Class<?> itemShape;
        try {
            itemShape = Class.forName("io.cropsearch.records.ItemShape", false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            itemShape = null;
        }
        // A renamed or moved class must fail here, not skip: the template would silently stop being checked.
        assertNotNull(itemShape, "io.cropsearch.records.ItemShape is gone: point this test at the class that now "
                + "defines the results table's keys");
        for (Map.Entry<String, String> constant : ITEM_SHAPE.entrySet()) {
            Field field = itemShape.getDeclaredField(constant.getKey());
            field.setAccessible(true);
            assertEquals(constant.getValue(), field.get(null), "ItemShape." + constant.getKey());
        }
    }

    // ---------------------------------------------------------------------------------------------- S3

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void s3NotificationsInvokeOnlyForImagesUnderTheCropsPrefix(CloudFormationTemplate t) {
        String bucket = t.onlyResourceOfType("AWS::S3::Bucket");
        Map<String, JsonNode> s3Events = eventsOfType(t, "S3");
        assertFalse(s3Events.isEmpty(), "S3 uploads must invoke the function");
        Set<String> suffixes = new TreeSet<>();
        s3Events.forEach((name, event) -> {
            JsonNode p = event.path("Properties");
            assertEquals(bucket, refTarget(p.path("Bucket")), name + " listens to the template's bucket");
            List<String> kinds = p.path("Events").isArray() ? texts(p.path("Events")) : List.of(p.path("Events").asText());
            assertTrue(!kinds.isEmpty() && kinds.stream().allMatch(k -> k.startsWith("s3:ObjectCreated:")),
                    name + " listens to ObjectCreated only: " + kinds);
            Map<String, List<String>> rules = new TreeMap<>();
            p.path("Filter").path("S3Key").path("Rules").forEach(r ->
                    rules.computeIfAbsent(r.path("Name").asText().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(r.path("Value").asText()));
            assertEquals(Set.of("prefix", "suffix"), rules.keySet(), name + " filters by prefix and suffix");
            assertEquals(List.of(UPLOAD_PREFIX), rules.get("prefix"), name);
            assertEquals(1, rules.get("suffix").size(), name + ": S3 takes one suffix per filter");
            assertTrue(suffixes.add(rules.get("suffix").get(0)), name + " repeats a suffix");
        });
        assertEquals(new TreeSet<>(NOTIFIED_SUFFIXES), suffixes);
    }

    @Test
    void notifiedSuffixesAreTheOnesTheS3HandlerSearches() throws Exception {
        Method suffixes;
        try {
            suffixes = Class.forName("io.cropsearch.config.CropSearchConfig$S3").getMethod("imageSuffixes");
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            suffixes = null;
        }
        assertNotNull(suffixes, "CropSearchConfig.S3#imageSuffixes is gone: point this test at the configuration "
                + "that now lists the searched suffixes");
        io.smallrye.config.WithDefault defaults = suffixes.getAnnotation(io.smallrye.config.WithDefault.class);
        assertNotNull(defaults, "imageSuffixes has a default");
        Set<String> searched = Arrays.stream(defaults.value().split(","))
                .map(x -> "." + x.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(IMAGE_SUFFIXES), searched,
                "an upload the notifications deliver but the handler skips (or the reverse) is a silent gap");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void sampleS3EventsAreOnesTheNotificationsDeliver(CloudFormationTemplate t) throws IOException {
        Pattern bucketName = bucketNamePattern(t);
        int records = 0;
        boolean sawEncodedKey = false;
        for (String file : S3_EVENTS) {
            JsonNode event = readEvent(file);
            JsonNode list = event.path("Records");
            assertTrue(list.isArray() && !list.isEmpty(), file + " has Records");
            if (file.equals("s3-put-multi.json")) {
                assertTrue(list.size() > 1, "the multi-record sample has several records");
            }
            for (JsonNode record : list) {
                records++;
                assertEquals("aws:s3", record.path("eventSource").asText(), file);
                assertTrue(record.path("eventName").asText().startsWith("ObjectCreated:"), file);
                JsonNode s3 = record.path("s3");
                String name = s3.path("bucket").path("name").asText();
                assertTrue(bucketName.matcher(name).matches(), file + ": " + name + " is not a bucket this template names");
                assertEquals("arn:aws:s3:::" + name, s3.path("bucket").path("arn").asText(), file);
                JsonNode object = s3.path("object");
                for (String field : List.of("key", "size", "eTag", "versionId", "sequencer")) {
                    assertFalse(object.path(field).isMissingNode(), file + ": object." + field);
                }
                String rawKey = object.path("key").asText();
                // S3 event keys are URL-encoded, '+' standing for a space; filters match the decoded key.
                String key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
                assertTrue(key.startsWith(UPLOAD_PREFIX), file + ": " + key + " is outside " + UPLOAD_PREFIX);
                assertTrue(IMAGE_SUFFIXES.stream().anyMatch(key::endsWith), file + ": " + key + " has no image suffix");
                if (file.equals("s3-put-encoded-key.json")) {
                    assertFalse(key.equals(rawKey), "the encoded-key sample is really encoded");
                    assertTrue(key.contains(" ") && rawKey.contains("+"), "it encodes spaces as +");
                    assertTrue(key.chars().anyMatch(c -> c > 127), "it carries non-ASCII characters");
                    assertTrue(key.contains("+") && rawKey.contains("%2B"), "and a literal plus, as %2B");
                    sawEncodedKey = true;
                }
            }
        }
        assertTrue(records >= 3 && sawEncodedKey);
    }

    // ---------------------------------------------------------------------------------------------- HTTP

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void everyHttpRouteIsAPostAResourceServesWithPayloadV2(CloudFormationTemplate t) throws Exception {
        Map<String, JsonNode> httpEvents = eventsOfType(t, "HttpApi");
        Set<String> paths = new TreeSet<>();
        for (JsonNode event : httpEvents.values()) {
            JsonNode p = event.path("Properties");
            String path = p.path("Path").asText();
            assertTrue(paths.add(path), "one route per path: " + path);
            assertEquals("POST", p.path("Method").asText().toUpperCase(Locale.ROOT), path);
            assertEquals("2.0", p.path("PayloadFormatVersion").asText(), path);
            String api = refTarget(p.path("ApiId"));
            assertEquals("AWS::Serverless::HttpApi", t.resource(api).path("Type").asText(), path);
        }
        assertEquals(new TreeSet<>(ROUTES.keySet()), paths, "the template routes exactly the served paths");

        for (Map.Entry<String, Class<?>> route : ROUTES.entrySet()) {
            Class<?> resource = route.getValue();
            String base = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
            assertTrue(Arrays.stream(resource.getMethods()).anyMatch(m -> m.isAnnotationPresent(POST.class)
                    && route.getKey().equals(m.isAnnotationPresent(jakarta.ws.rs.Path.class)
                            ? base + m.getAnnotation(jakarta.ws.rs.Path.class).value() : base)),
                    resource.getSimpleName() + " serves POST " + route.getKey());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void sampleEventsOfTheOtherRoutesAreApiGatewayV2RequestsForTheirRoute(CloudFormationTemplate t) throws IOException {
        Set<String> routed = new TreeSet<>();
        eventsOfType(t, "HttpApi").values().forEach(e -> routed.add(e.path("Properties").path("Path").asText()));
        for (Map.Entry<String, String> sample : ROUTE_EVENTS.entrySet()) {
            String file = sample.getKey();
            String path = sample.getValue();
            assertTrue(routed.contains(path), file + ": its route is in the template");
            JsonNode event = readEvent(file);
            assertEquals("2.0", event.path("version").asText(), file);
            assertEquals("POST " + path, event.path("routeKey").asText(), file);
            assertEquals("POST " + path, event.path("requestContext").path("routeKey").asText(), file);
            assertEquals(path, event.path("rawPath").asText(), file);
            assertEquals(path, event.path("requestContext").path("http").path("path").asText(), file);
            assertEquals("POST", event.path("requestContext").path("http").path("method").asText(), file);
            assertEquals("application/json", event.path("headers").path("content-type").asText(), file);
            assertTrue(event.path("headers").path("authorization").asText().startsWith("Bearer "), file);
            assertEquals(event.path("body").asText().getBytes(StandardCharsets.UTF_8).length,
                    event.path("headers").path("content-length").asInt(), file + ": content-length is the body's");
            JSON.readTree(event.path("body").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void sampleHttpEventsAreApiGatewayV2RequestsForTheRoute(CloudFormationTemplate t) throws IOException {
        JsonNode route = eventsOfType(t, "HttpApi").values().stream()
                .filter(e -> ROUTE_PATH.equals(e.path("Properties").path("Path").asText())).findFirst()
                .orElseThrow().path("Properties");
        String method = route.path("Method").asText().toUpperCase(Locale.ROOT);
        String path = route.path("Path").asText();
        for (String file : HTTP_EVENTS) {
            JsonNode event = readEvent(file);
            assertEquals("2.0", event.path("version").asText(), file);
            assertEquals(method + " " + path, event.path("routeKey").asText(), file);
            assertEquals(path, event.path("rawPath").asText(), file);
            assertEquals(method, event.path("requestContext").path("http").path("method").asText(), file);
            assertEquals(path, event.path("requestContext").path("http").path("path").asText(), file);
            assertEquals(event.path("routeKey").asText(), event.path("requestContext").path("routeKey").asText(), file);
            for (String header : fieldNames(event.path("headers"))) {
                assertEquals(header.toLowerCase(Locale.ROOT), header, file + ": HTTP API v2 lower-cases header names");
            }
            assertEquals("application/json", event.path("headers").path("content-type").asText(), file);
            assertFalse(event.path("isBase64Encoded").asBoolean(true), file);
            JsonNode body = JSON.readTree(event.path("body").asText());
            assertEquals(file.equals("http-search-missing-auth.json"), !event.path("headers").has("authorization"), file);

            byte[] image = Base64.getDecoder().decode(body.path("images").path(0).asText());
            BufferedImage crop = ImageIO.read(new ByteArrayInputStream(image));
            assertNotNull(crop, file + ": images[0] is a real image");
            assertTrue(crop.getWidth() >= 16 && crop.getWidth() <= 120 && crop.getHeight() >= 16
                    && crop.getHeight() <= 120, file + ": a small face crop, 16-120 px a side");
        }
        assertEquals(0.3, readEventBody("http-search-invalid-min-score.json").path("min_score").asDouble());
    }

    // ---------------------------------------------------------------------------------------------- IAM

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void functionRoleGrantsOnlyWhatTheFunctionDoes(CloudFormationTemplate t) {
        JsonNode fn = functionProperties(t);
        assertTrue(fn.path("Policies").isMissingNode(), "no SAM policies beside the explicit role");
        String role = getAttTarget(fn.path("Role"), "Arn");
        assertNotNull(role, "the function runs with the template's own role");
        JsonNode roleProps = t.properties(role);
        assertEquals("AWS::IAM::Role", t.resource(role).path("Type").asText());
        assertTrue(roleProps.path("ManagedPolicyArns").isMissingNode(), "no managed policies (they grant on *)");
        JsonNode trust = roleProps.path("AssumeRolePolicyDocument").path("Statement");
        assertEquals(1, trust.size());
        assertEquals("lambda.amazonaws.com", trust.get(0).path("Principal").path("Service").asText());

        String bucketNameSub = subText(t.properties(t.onlyResourceOfType("AWS::S3::Bucket")).path("BucketName"));
        assertNotNull(bucketNameSub, "the bucket's name is computed, so the policy can name it without a cycle");
        String table = resultsTable(t);
        String gallery = galleryTable(t);
        String queue = t.onlyResourceOfType("AWS::SQS::Queue");
        String logGroup = refTarget(fn.path("LoggingConfig").path("LogGroup"));
        assertNotNull(logGroup, "the function logs to the template's log group");

        Map<Set<String>, String> expected = new LinkedHashMap<>();
        expected.put(Set.of("s3:GetObject", "s3:GetObjectVersion"),
                "Sub arn:${AWS::Partition}:s3:::" + bucketNameSub + "/" + UPLOAD_PREFIX + "*");
        expected.put(Set.of("dynamodb:GetItem", "dynamodb:PutItem"), "GetAtt " + table + ".Arn");
        expected.put(Set.of("dynamodb:Query"), "Sub ${" + table + ".Arn}/index/" + ITEM_SHAPE.get("GSI1"));
        expected.put(Set.of("dynamodb:Scan", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:GetItem",
                "dynamodb:UpdateItem"), "GetAtt " + gallery + ".Arn");
        expected.put(Set.of("sqs:SendMessage"), "GetAtt " + queue + ".Arn");
        expected.put(Set.of("secretsmanager:GetSecretValue"), "Ref " + refTarget(environment(t).path("VERIFIK_TOKEN_SECRET")));
        expected.put(Set.of("logs:CreateLogStream", "logs:PutLogEvents"), "GetAtt " + logGroup + ".Arn");

        Map<Set<String>, String> granted = new LinkedHashMap<>();
        roleProps.path("Policies").forEach(policy -> policy.path("PolicyDocument").path("Statement").forEach(s -> {
            assertEquals("Allow", s.path("Effect").asText());
            assertTrue(s.path("NotAction").isMissingNode() && s.path("NotResource").isMissingNode());
            Set<String> actions = new TreeSet<>(s.path("Action").isArray() ? texts(s.path("Action"))
                    : List.of(s.path("Action").asText()));
            JsonNode resource = s.path("Resource");
            assertFalse(resource.isArray() && resource.size() != 1, "one resource per statement: " + resource);
            assertNull(granted.put(actions, describe(resource.isArray() ? resource.get(0) : resource)),
                    "duplicate grant of " + actions);
        }));
        assertEquals(expected.entrySet().stream().collect(Collectors.toMap(e -> new TreeSet<>(e.getKey()), Map.Entry::getValue)),
                granted.entrySet().stream().collect(Collectors.toMap(e -> new TreeSet<>(e.getKey()), Map.Entry::getValue)),
                "read crops/* of the one bucket, write the results table (and query its byCollection index), load and change the gallery table, read the "
                        + "one token secret, report to the one queue, log to the one group");
        assertTrue(granted.keySet().stream().flatMap(Set::stream).noneMatch(a -> a.startsWith("s3:Put")
                || a.startsWith("s3:Delete")), "the function never writes to the bucket, so it cannot re-trigger itself");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void everyAwsCallTheCodeMakesIsGrantedToTheFunction(CloudFormationTemplate t) throws IOException {
        Set<String> granted = new TreeSet<>();
        t.properties(getAttTarget(functionProperties(t).path("Role"), "Arn")).path("Policies").forEach(policy ->
                policy.path("PolicyDocument").path("Statement").forEach(s -> {
                    if ("Allow".equals(s.path("Effect").asText())) {
                        granted.addAll(s.path("Action").isArray() ? texts(s.path("Action")) : List.of(s.path("Action").asText()));
                    }
                }));
        Map<String, String> needed = AwsCallsInCode.scan(MAIN_SOURCES.resolve("java"));
        Map<String, String> missing = new TreeMap<>(needed);
        missing.keySet().removeAll(granted);
        assertTrue(missing.isEmpty(), "the code makes AWS calls the role does not allow (action=call site): " + missing);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void noAllowStatementAnywhereUsesWildcardActionsOrResources(CloudFormationTemplate t) {
        List<JsonNode> statements = new ArrayList<>();
        collectStatements(t.resources(), statements);
        assertFalse(statements.isEmpty());
        for (JsonNode s : statements) {
            if (!"Allow".equals(s.path("Effect").asText())) {
                continue;
            }
            List<String> actions = s.path("Action").isArray() ? texts(s.path("Action")) : List.of(s.path("Action").asText());
            actions.forEach(a -> assertFalse(a.contains("*"), "wildcard action " + a + " in " + s));
            if (s.has("Resource")) {
                JsonNode resources = s.get("Resource");
                for (JsonNode r : resources.isArray() ? resources : JSON.createArrayNode().add(resources)) {
                    String text = r.isTextual() ? r.textValue() : subText(r);
                    if (text != null) {
                        assertFalse(text.equals("*") || text.endsWith(":*") || text.matches(".*:::\\*.*"),
                                "unscoped resource " + text + " in " + s);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- guards

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void reservedConcurrencyCapsBurstsOfUploads(CloudFormationTemplate t) {
        JsonNode value = functionProperties(t).path("ReservedConcurrentExecutions");
        String parameter = refTarget(value);
        int concurrency = parameter != null ? t.parameter(parameter).path("Default").asInt(-1) : value.asInt(-1);
        assertTrue(concurrency >= 1 && concurrency <= 50, "a small cap, by default: " + concurrency);
        if (parameter != null) {
            assertEquals(1, t.parameter(parameter).path("MinValue").asInt(), "0 would switch the function off");
        }
        JsonNode api = t.properties(refTarget(eventsOfType(t, "HttpApi").values().iterator().next()
                .path("Properties").path("ApiId")));
        assertFalse(api.path("DefaultRouteSettings").path("ThrottlingBurstLimit").isMissingNode(), "HTTP is throttled too");
        assertFalse(api.path("DefaultRouteSettings").path("ThrottlingRateLimit").isMissingNode());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void failedS3InvocationsGoToTheQueueAfterTwoRetries(CloudFormationTemplate t) {
        JsonNode config = functionProperties(t).path("EventInvokeConfig");
        assertEquals(2, config.path("MaximumRetryAttempts").asInt(-1));
        JsonNode onFailure = config.path("DestinationConfig").path("OnFailure");
        assertEquals("SQS", onFailure.path("Type").asText());
        String queue = getAttTarget(onFailure.path("Destination"), "Arn");
        assertEquals(t.onlyResourceOfType("AWS::SQS::Queue"), queue);
        assertTrue(t.properties(queue).path("MessageRetentionPeriod").asInt() >= 4 * 24 * 3600,
                "failed events stay long enough to be looked at");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void outputsNameTheApiUrlBucketTableAndQueue(CloudFormationTemplate t) {
        JsonNode outputs = t.root.path("Outputs");
        String api = t.onlyResourceOfType("AWS::Serverless::HttpApi");
        String apiUrl = subText(outputs.path("ApiUrl").path("Value"));
        assertNotNull(apiUrl);
        assertTrue(apiUrl.startsWith("https://${" + api + "}.execute-api.${AWS::Region}."), apiUrl);
        assertEquals(t.onlyResourceOfType("AWS::S3::Bucket"), refTarget(outputs.path("UploadBucketName").path("Value")));
        assertEquals(resultsTable(t), refTarget(outputs.path("ResultsTableName").path("Value")));
        assertEquals(galleryTable(t), refTarget(outputs.path("GalleryTableName").path("Value")));
        assertEquals(t.onlyResourceOfType("AWS::SQS::Queue"),
                refTarget(outputs.path("FailedInvocationsQueueUrl").path("Value")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void everyReferenceNamesAParameterOrResourceOfTheTemplate(CloudFormationTemplate t) {
        Set<String> known = new TreeSet<>(fieldNames(t.root.path("Parameters")));
        known.addAll(fieldNames(t.resources()));
        for (String fn : t.resourcesOfType(FUNCTION_TYPE)) {
            String alias = t.properties(fn).path("AutoPublishAlias").asText("");
            if (!alias.isEmpty()) {
                known.add(fn + ".Alias"); // SAM's references to the alias and version it generates
                known.add(fn + ".Version");
            }
        }
        List<String> dangling = new ArrayList<>();
        checkReferences(t.root, known, dangling);
        assertTrue(dangling.isEmpty(), "dangling references: " + dangling);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    static JsonNode functionProperties(CloudFormationTemplate t) {
        return t.properties(t.onlyResourceOfType(FUNCTION_TYPE));
    }

    static JsonNode environment(CloudFormationTemplate t) {
        return functionProperties(t).path("Environment").path("Variables");
    }

    /** The table RESULTS_TABLE names (the template has a second one, the gallery's). */
    static String resultsTable(CloudFormationTemplate t) {
        return tableNamedBy(t, "RESULTS_TABLE");
    }

    /** The table GALLERY_TABLE names. */
    static String galleryTable(CloudFormationTemplate t) {
        return tableNamedBy(t, "GALLERY_TABLE");
    }

    private static String tableNamedBy(CloudFormationTemplate t, String variable) {
        String table = refTarget(environment(t).get(variable));
        assertNotNull(table, variable + " is a Ref to a table of the template");
        assertEquals("AWS::DynamoDB::Table", t.resource(table).path("Type").asText(), variable);
        return table;
    }

    static Map<String, JsonNode> eventsOfType(CloudFormationTemplate t, String type) {
        Map<String, JsonNode> events = new TreeMap<>();
        functionProperties(t).path("Events").fields().forEachRemaining(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                events.put(e.getKey(), e.getValue());
            }
        });
        return events;
    }

    /** The bucket names the template can produce, with the prefix parameter at its default. */
    static Pattern bucketNamePattern(CloudFormationTemplate t) {
        String sub = subText(t.properties(t.onlyResourceOfType("AWS::S3::Bucket")).path("BucketName"));
        assertNotNull(sub);
        StringBuilder regex = new StringBuilder();
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(sub);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(sub.substring(last, m.start())));
            regex.append(switch (m.group(1)) {
                case "AWS::AccountId" -> "\\d{12}";
                case "AWS::Region" -> "[a-z]{2}(-gov)?-[a-z]+-\\d";
                default -> Pattern.quote(t.parameter(m.group(1)).path("Default").asText());
            });
            last = m.end();
        }
        regex.append(Pattern.quote(sub.substring(last)));
        return Pattern.compile(regex.toString());
    }

    /** A template without what may differ between the native and the JVM variant. */
    static JsonNode withoutRuntimeSpecifics(CloudFormationTemplate t) {
        ObjectNode copy = t.root.deepCopy();
        copy.remove("Description");
        if (copy.path("Parameters").get("MemorySize") instanceof ObjectNode memory) {
            memory.remove("Default");
        }
        ObjectNode fn = (ObjectNode) copy.path("Resources").path(t.onlyResourceOfType(FUNCTION_TYPE)).path("Properties");
        fn.remove(List.of("Runtime", "Handler", "SnapStart", "RuntimeManagementConfig", "Description"));
        ((ObjectNode) fn.path("Environment").path("Variables")).remove(List.of("DISABLE_SIGNAL_HANDLERS", "JAVA_TOOL_OPTIONS"));
        // The JVM variant's condition for its JAVA_TOOL_OPTIONS.
        if (copy.get("Conditions") instanceof ObjectNode conditions) {
            conditions.remove("EmbeddedBackend");
            if (conditions.isEmpty()) {
                copy.remove("Conditions");
            }
        }
        return copy;
    }

    static void collectStatements(JsonNode node, List<JsonNode> out) {
        if (node.isObject()) {
            if (node.has("Statement") && node.get("Statement").isArray()) {
                node.get("Statement").forEach(out::add);
            }
            node.forEach(child -> collectStatements(child, out));
        } else if (node.isArray()) {
            node.forEach(child -> collectStatements(child, out));
        }
    }

    static void checkReferences(JsonNode node, Set<String> known, List<String> dangling) {
        if (node.isObject()) {
            String ref = refTarget(node);
            if (ref != null && !ref.startsWith("AWS::") && !known.contains(ref)) {
                dangling.add("Ref " + ref);
            }
            JsonNode getAtt = node.get("Fn::GetAtt");
            if (getAtt != null && getAtt.isArray() && !known.contains(getAtt.path(0).asText())) {
                dangling.add("GetAtt " + getAtt.path(0).asText());
            }
            String sub = subText(node);
            if (sub != null) {
                Matcher m = Pattern.compile("\\$\\{([^}!]+)}").matcher(sub);
                Set<String> local = node.get("Fn::Sub").isArray() ? fieldNames(node.get("Fn::Sub").path(1)) : Set.of();
                while (m.find()) {
                    String name = m.group(1).split("\\.")[0];
                    if (!name.startsWith("AWS::") && !known.contains(name) && !local.contains(name)) {
                        dangling.add("Sub ${" + m.group(1) + "}");
                    }
                }
            }
            node.forEach(child -> checkReferences(child, known, dangling));
        } else if (node.isArray()) {
            node.forEach(child -> checkReferences(child, known, dangling));
        }
    }

    /** A short text for an IAM resource: "Sub ...", "GetAtt X.Arn", "Ref X" or the literal. */
    static String describe(JsonNode resource) {
        if (resource.isTextual()) {
            return resource.textValue();
        }
        String sub = subText(resource);
        if (sub != null) {
            return "Sub " + sub;
        }
        JsonNode getAtt = resource.get("Fn::GetAtt");
        if (getAtt != null) {
            return "GetAtt " + getAtt.path(0).asText() + "." + getAtt.path(1).asText();
        }
        String ref = refTarget(resource);
        return ref != null ? "Ref " + ref : resource.toString();
    }

    /** An intrinsic string value as text: {@code Ref X} parts become {@code ${Ref:X}}. */
    static String flatten(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        String ref = refTarget(node);
        if (ref != null) {
            return "${Ref:" + ref + "}";
        }
        String sub = subText(node);
        if (sub != null) {
            return sub.replaceAll("\\$\\{(?!AWS::)([A-Za-z0-9]+)}", "\\${Ref:$1}");
        }
        JsonNode join = node.get("Fn::Join");
        if (join != null && join.isArray() && join.size() == 2) {
            List<String> parts = new ArrayList<>();
            join.get(1).forEach(part -> parts.add(flatten(part)));
            return String.join(join.get(0).asText(), parts);
        }
        return node.toString();
    }

    static List<String> keySchema(String hash, String range) {
        return List.of(hash + " HASH", range + " RANGE");
    }

    static List<String> keySchema(JsonNode schema) {
        List<String> keys = new ArrayList<>();
        schema.forEach(k -> keys.add(k.path("AttributeName").asText() + " " + k.path("KeyType").asText()));
        return keys;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    static JsonNode readEvent(String file) throws IOException {
        return JSON.readTree(EVENTS.resolve(file).toFile());
    }

    static JsonNode readEventBody(String file) throws IOException {
        return JSON.readTree(readEvent(file).path("body").asText());
    }

    static boolean classMentions(String classResource, String constant) throws IOException {
        try (InputStream in = TemplateTest.class.getClassLoader().getResourceAsStream(classResource)) {
            if (in == null) {
                fail(classResource + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(constant);
        }
    }

    static Map<String, String> applicationProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(MAIN_SOURCES.resolve("resources/application.properties"))) {
                String trimmed = line.strip();
                int eq = trimmed.indexOf('=');
                if (!trimmed.isEmpty() && !trimmed.startsWith("#") && eq > 0) {
                    properties.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return properties;
    }

    static Element pomProfile(String id) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var pom = factory.newDocumentBuilder().parse(PROJECT.resolve("pom.xml").toFile());
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (id.equals(text(profile, "id"))) {
                return profile;
            }
        }
        throw new AssertionError("pom.xml has no profile " + id);
    }

    /** Text of the first element at a slash-separated path of child element names, or null. */
    static String text(Element from, String path) {
        Element current = from;
        for (String name : path.split("/")) {
            Element next = null;
            for (var child = current.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element e && e.getTagName().equals(name)) {
                    next = e;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            current = next;
        }
        return current.getTextContent().strip();
    }

    static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
