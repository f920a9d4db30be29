package io.cropsearch.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.errors.ApiException;
import io.cropsearch.errors.ErrorCode;
import io.cropsearch.model.ApiEndpoint;
import io.cropsearch.model.CropSearchRequest;
import io.cropsearch.model.SearchMode;
import io.cropsearch.records.RecordQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.groups.Default;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place where the contract's input rules live, for every way in: JSON bodies from HTTP and the parameters of
 * S3 uploads go through here before anything leaves the function. Errors come out as {@link ApiException}s in the
 * contract's Joi-style wording, reporting the first bad field in the contract's field order.
 */
@ApplicationScoped
public class CropSearchValidator {
    /** Field order of the contract; the first field with a problem is the one reported. */
    static final List<String> FIELDS = List.of("images", "collection_id", "max_results", "min_score", "search_mode",
            "all_faces");

    private static final Pattern DATA_URI = Pattern.compile("(?i)^data:image/(jpeg|jpg|png|webp);base64,");
    private static final BigDecimal NUMBER_CLAMP = BigDecimal.valueOf(1_000_000);

    private final Validator validator;
    private final CropSearchConfig.Limits limits;
    private final ImageLimits crops;
    private final ImageLimits photos;
    private final ImageUrlPolicy urlPolicy;
    private final ObjectMapper strictJson;

    public CropSearchValidator(Validator validator, CropSearchConfig config) {
        this.validator = validator;
        this.limits = config.limits();
        this.crops = ImageLimits.crops(limits);
        this.photos = ImageLimits.photos(limits);
        this.urlPolicy = new ImageUrlPolicy(limits.maxUrlLength());
        // Own parser settings: hostile bodies must not cost deep recursion, and duplicate keys are ambiguous.
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.strictJson = JsonMapper.builder(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** Validates a raw HTTP body of {@code /search/crops}. */
    public ValidatedSearch validateJson(byte[] body) {
        return validateJson(body, ApiEndpoint.SEARCH_CROPS);
    }

    /**
     * Validates a raw HTTP body of a search endpoint: {@code /search/crops} (face crops, {@code min_score} 0.5-1) or
     * {@code /search} (whole photos within {@link #photoLimits()}, {@code min_score} 0.2-1). Same fields, same order,
     * same messages otherwise.
     */
    public ValidatedSearch validateJson(byte[] body, ApiEndpoint endpoint) {
        Parsed parsed = fromJson(parseObject(body));
        return validate(parsed.request(), parsed.typeErrors(), endpoint);
    }

    /** Field order of {@code /detect}; the first field with a problem is the one reported. */
    static final List<String> DETECT_FIELDS = List.of("image", "return_landmarks", "return_attributes");

    /**
     * Validates a {@code POST /v2/face-recognition/detect} body: {@code image} required (raw base64, a data URI or an
     * https URL, checked as a whole photo), {@code return_landmarks} and {@code return_attributes} optional booleans
     * (default false). Unknown fields are ignored, as in searches.
     */
    public ValidatedDetect validateDetect(byte[] body) {
        JsonNode root = parseObject(body);
        JsonNode imageNode = root.get("image");
        if (imageNode == null) {
            throw ApiException.missing("\"image\" is required");
        }
        if (!imageNode.isTextual()) {
            throw ApiException.invalid("\"image\" must be a string");
        }
        if (imageNode.textValue().isBlank()) {
            throw ApiException.invalid("\"image\" is not allowed to be empty");
        }
        SearchImage image = checkImage("image", imageNode.textValue(), photos);
        return new ValidatedDetect(image, flag(root, "return_landmarks"), flag(root, "return_attributes"));
    }

    private static boolean flag(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ApiException.invalid("\"" + field + "\" must be a boolean");
        }
        return node.booleanValue();
    }

    /**
     * Validates a {@code POST /v2/face-recognition/persons} body: {@code name} and 1-3 base64 {@code images} required
     * (URLs are not accepted: enrolment keeps the images' faces, not links); the images pass the same checks as a
     * search's.
     */
    public ValidatedPerson validatePerson(byte[] body) {
        JsonNode root = parseObject(body);
        String name = requiredText(root, "name", 200);
        JsonNode imagesNode = root.get("images");
        if (imagesNode == null) {
            throw ApiException.missing("\"images\" is required");
        }
        if (!imagesNode.isArray()) {
            throw ApiException.invalid("\"images\" must be an array");
        }
        if (imagesNode.isEmpty()) {
            throw ApiException.invalid("\"images\" must contain at least 1 items");
        }
        if (imagesNode.size() > CropSearchRequest.MAX_IMAGES) {
            throw ApiException.invalid("\"images\" must contain less than or equal to " + CropSearchRequest.MAX_IMAGES + " items");
        }
        List<SearchImage.Inline> images = new ArrayList<>();
        for (int i = 0; i < imagesNode.size(); i++) {
            String field = "images[" + i + "]";
            JsonNode item = imagesNode.get(i);
            if (!item.isTextual()) {
                throw ApiException.invalid("\"" + field + "\" must be a string");
            }
            // Whole photos are welcome: enrolment keeps the largest face (docs/EMBEDDED.md).
            if (!(checkImage(field, item.textValue(), photos) instanceof SearchImage.Inline inline)) {
                throw ApiException.invalid("\"" + field + "\" must be a base64 image");
            }
            images.add(inline);
        }
        String gender = optionalText(root, "gender", 1);
        if (gender != null && !gender.equals("M") && !gender.equals("F")) {
            throw ApiException.invalid("\"gender\" must be one of [M, F]");
        }
        String dateOfBirth = optionalText(root, "date_of_birth", 10);
        if (dateOfBirth != null) {
            try {
                java.time.LocalDate.parse(dateOfBirth);
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiException.invalid("\"date_of_birth\" must be a date in ISO format (YYYY-MM-DD)");
            }
        }
        String nationality = optionalText(root, "nationality", 100);
        String notes = optionalText(root, "notes", 1000);
        List<String> collections = new ArrayList<>();
        JsonNode collectionsNode = root.get("collections");
        if (collectionsNode != null) {
            if (!collectionsNode.isArray()) {
                throw ApiException.invalid("\"collections\" must be an array");
            }
            for (int i = 0; i < collectionsNode.size(); i++) {
                JsonNode item = collectionsNode.get(i);
                if (!item.isTextual() || !COLLECTION_ID.matcher(item.textValue()).matches()) {
                    throw ApiException.invalid("\"collections[" + i + "]\" must be a collection id");
                }
                collections.add(item.textValue());
            }
        }
        return new ValidatedPerson(name, images, gender, dateOfBirth, nationality, List.copyOf(collections), notes);
    }

    /** Validates a {@code POST /v2/face-recognition/collections} body. */
    public ValidatedCollection validateCollection(byte[] body) {
        JsonNode root = parseObject(body);
        return new ValidatedCollection(requiredText(root, "name", 200), optionalText(root, "description", 1000));
    }

    private static final Pattern COLLECTION_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    /** Verifik's page size bound for {@code GET /v2/face-recognition/persons}. */
    static final int MAX_PAGE_LIMIT = 100;
    /**
     * Far beyond any gallery (10^8 persons at the largest page size), and small enough that the offset
     * {@code (page - 1) * limit} cannot overflow an int.
     */
    static final int MAX_PAGE = 1_000_000;
    private static final Pattern DECIMAL_DIGITS = Pattern.compile("\\+?[0-9]+");

    /**
     * Validates the {@code page} and {@code limit} query parameters of a listing (null when absent: 1 and 10). Each
     * must be a positive integer within its bound; nothing is clamped, so a caller never gets another page than the
     * one asked for.
     */
    public ValidatedPage validatePage(String page, String limit) {
        return new ValidatedPage(pageParameter("page", page, 1, MAX_PAGE), pageParameter("limit", limit, 10,
                MAX_PAGE_LIMIT));
    }

    private static int pageParameter(String name, String raw, int absent, int max) {
        if (raw == null) {
            return absent;
        }
        String value = raw.trim();
        if (!DECIMAL_DIGITS.matcher(value).matches()) {
            throw ApiException.invalid("\"" + name + "\" must be a positive integer");
        }
        // Leading zeros and length checked before parsing: "99999999999999999999" is too large, not garbage, and
        // must not wrap around.
        String digits = value.replaceFirst("^\\+?0*", "");
        if (digits.isEmpty()) {
            throw ApiException.invalid("\"" + name + "\" must be a positive integer");
        }
        if (digits.length() > 9 || Integer.parseInt(digits) > max) {
            throw ApiException.invalid("\"" + name + "\" must be less than or equal to " + max);
        }
        return Integer.parseInt(digits);
    }

    /**
     * Validates the query of {@code GET /v2/crop-search/records} (each null when absent). {@code collection_id} obeys
     * the search's own rule (its constraints on {@link CropSearchRequest}, one place); {@code since} is an ISO-8601
     * instant ({@code 2026-11-30T06:00:00Z}, an offset allowed); {@code limit} is 1-50, 20 when absent. The first bad
     * one in that order is reported.
     */
    public RecordQuery validateRecordQuery(String collectionId, String since, String limit) {
        if (collectionId != null) {
            Optional<ConstraintViolation<CropSearchRequest>> bad = validator
                    .validateValue(CropSearchRequest.class, "collectionId", collectionId).stream()
                    .min(Comparator.comparing(ConstraintViolation::getMessage));
            if (bad.isPresent()) {
                throw ApiException.invalid(bad.get().getMessage());
            }
        }
        Instant from = null;
        if (since != null) {
            try {
                from = OffsetDateTime.parse(since.trim()).toInstant();
            } catch (DateTimeParseException e) {
                throw ApiException.invalid("\"since\" must be a valid ISO 8601 date-time, e.g. 2026-11-30T06:00:00Z");
            }
        }
        int count = limit == null ? RecordQuery.DEFAULT_LIMIT : recordLimit(limit.trim());
        return new RecordQuery(collectionId, from, count);
    }

    private static int recordLimit(String value) {
        int max = RecordQuery.MAX_LIMIT;
        if (value.matches("-[0-9]+")) {
            throw ApiException.invalid("\"limit\" must be greater than or equal to " + RecordQuery.MIN_LIMIT);
        }
        if (!DECIMAL_DIGITS.matcher(value).matches()) {
            throw ApiException.invalid("\"limit\" must be an integer");
        }
        String digits = value.replaceFirst("^\\+?0*", "");
        if (digits.isEmpty()) {
            throw ApiException.invalid("\"limit\" must be greater than or equal to " + RecordQuery.MIN_LIMIT);
        }
        if (digits.length() > 9 || Integer.parseInt(digits) > max) {
            throw ApiException.invalid("\"limit\" must be less than or equal to " + max);
        }
        return Integer.parseInt(digits);
    }

    private static String requiredText(JsonNode root, String field, int maxLength) {
        if (root.get(field) == null) {
            throw ApiException.missing("\"" + field + "\" is required");
        }
        String value = optionalText(root, field, maxLength);
        if (value.isBlank()) {
            throw ApiException.invalid("\"" + field + "\" is not allowed to be empty");
        }
        return value;
    }

    private static String optionalText(JsonNode root, String field, int maxLength) {
        JsonNode node = root.get(field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid("\"" + field + "\" must be a string");
        }
        if (node.textValue().length() > maxLength) {
            throw ApiException.invalid("\"" + field + "\" length must be less than or equal to " + maxLength
                    + " characters long");
        }
        return node.textValue();
    }

    /** The strict JSON parse every body goes through (size, duplicates, depth, trailing data); shared with {@link FaceMatchValidator}. */
    JsonNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ApiException(400, ErrorCode.MALFORMED_BODY, "Request body must be a JSON object");
        }
        if (body.length > limits.maxBodyBytes()) {
            throw new ApiException(413, ErrorCode.PAYLOAD_TOO_LARGE,
                    "Request body must be at most " + limits.maxBodyBytes() + " bytes");
        }
        JsonNode root;
        try (JsonParser parser = strictJson.createParser(body)) {
            root = strictJson.readTree(parser);
            if (parser.nextToken() != null) {
                throw new ApiException(400, ErrorCode.MALFORMED_BODY, "Request body is not valid JSON");
            }
        } catch (JsonProcessingException e) {
            throw new ApiException(400, ErrorCode.MALFORMED_BODY, "Request body is not valid JSON");
        } catch (NumberFormatException e) {
            // Jackson turns a number like 1e4002222222222222 into a BigDecimal and gives up on the exponent with a
            // NumberFormatException, not a JsonProcessingException (found by fuzzing): still a malformed body
            throw new ApiException(400, ErrorCode.MALFORMED_BODY, "Request body holds a number out of range");
        } catch (IOException e) {
            throw new ApiException(400, ErrorCode.MALFORMED_BODY, "Request body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.invalid("\"value\" must be of type object");
        }
        return root;
    }

    /**
     * Validates parameters given as strings (S3 object metadata). A parameter that is absent from {@code params} is
     * missing; {@code images} holds the image as the caller sent it.
     */
    public ValidatedSearch validateStrings(List<String> images, Map<String, String> params) {
        return validateStrings(images, params, ApiEndpoint.SEARCH_CROPS);
    }

    /** As {@link #validateStrings(List, Map)}, with the rules of {@code endpoint} (see {@link #validateJson(byte[], ApiEndpoint)}). */
    public ValidatedSearch validateStrings(List<String> images, Map<String, String> params, ApiEndpoint endpoint) {
        Map<String, ApiException> typeErrors = new LinkedHashMap<>();
        Long maxResults = null;
        String rawMax = params.get("max_results");
        if (rawMax != null) {
            try {
                maxResults = clampToLong(new BigDecimal(rawMax.trim()), "max_results", typeErrors);
            } catch (NumberFormatException e) {
                typeErrors.put("max_results", ApiException.invalid("\"max_results\" must be a number"));
            }
        }
        Double minScore = null;
        String rawMin = params.get("min_score");
        if (rawMin != null) {
            try {
                minScore = clampToDouble(new BigDecimal(rawMin.trim()));
            } catch (NumberFormatException e) {
                typeErrors.put("min_score", ApiException.invalid("\"min_score\" must be a number"));
            }
        }
        SearchMode mode = null;
        String rawMode = params.get("search_mode");
        if (rawMode != null) {
            mode = parseMode(rawMode.trim(), typeErrors);
        }
        // Only S3 uploads can ask for every face (x-amz-meta-all-faces); HTTP searches ignore unknown fields.
        boolean allFaces = false;
        String rawAllFaces = params.get("all_faces");
        if (rawAllFaces != null) {
            String value = rawAllFaces.trim().toLowerCase(java.util.Locale.ROOT);
            if (value.equals("true") || value.equals("false")) {
                allFaces = value.equals("true");
            } else {
                typeErrors.put("all_faces", ApiException.invalid("\"all_faces\" must be a boolean"));
            }
        }
        CropSearchRequest request = new CropSearchRequest(images, params.get("collection_id"), maxResults, minScore, mode);
        ValidatedSearch search = validate(request, typeErrors, endpoint);
        return allFaces ? new ValidatedSearch(search.images(), search.collectionId(), search.maxResults(),
                search.minScore(), search.searchMode(), search.endpoint(), true) : search;
    }

    /** A request whose fields had the right JSON types, and the first type error of each field that had not. */
    private record Parsed(CropSearchRequest request, Map<String, ApiException> typeErrors) {
    }

    private Parsed fromJson(JsonNode root) {
        Map<String, ApiException> typeErrors = new LinkedHashMap<>();

        List<String> images = null;
        JsonNode imagesNode = root.get("images");
        if (imagesNode != null) {
            if (!imagesNode.isArray()) {
                typeErrors.put("images", ApiException.invalid("\"images\" must be an array"));
            } else {
                images = new ArrayList<>();
                for (int i = 0; i < imagesNode.size(); i++) {
                    JsonNode item = imagesNode.get(i);
                    if (!item.isTextual()) {
                        typeErrors.putIfAbsent("images", ApiException.invalid("\"images[" + i + "]\" must be a string"));
                        images = null;
                        break;
                    }
                    images.add(item.textValue());
                }
            }
        }

        String collectionId = null;
        JsonNode collectionNode = root.get("collection_id");
        if (collectionNode != null) {
            if (collectionNode.isTextual()) {
                collectionId = collectionNode.textValue();
            } else {
                typeErrors.put("collection_id", ApiException.invalid("\"collection_id\" must be a string"));
            }
        }

        Long maxResults = null;
        JsonNode maxNode = root.get("max_results");
        if (maxNode != null) {
            if (maxNode.isNumber()) {
                maxResults = clampToLong(maxNode.decimalValue(), "max_results", typeErrors);
            } else {
                typeErrors.put("max_results", ApiException.invalid("\"max_results\" must be a number"));
            }
        }

        Double minScore = null;
        JsonNode minNode = root.get("min_score");
        if (minNode != null) {
            if (minNode.isNumber()) {
                minScore = clampToDouble(minNode.decimalValue());
            } else {
                typeErrors.put("min_score", ApiException.invalid("\"min_score\" must be a number"));
            }
        }

        SearchMode mode = null;
        JsonNode modeNode = root.get("search_mode");
        if (modeNode != null) {
            if (modeNode.isTextual()) {
                mode = parseMode(modeNode.textValue(), typeErrors);
            } else {
                typeErrors.put("search_mode", ApiException.invalid("\"search_mode\" must be a string"));
            }
        }
        return new Parsed(new CropSearchRequest(images, collectionId, maxResults, minScore, mode), typeErrors);
    }

    private ValidatedSearch validate(CropSearchRequest request, Map<String, ApiException> typeErrors,
                                     ApiEndpoint endpoint) {
        boolean photo = switch (endpoint) {
            case SEARCH_CROPS -> false;
            case SEARCH -> true;
            default -> throw new IllegalArgumentException(endpoint + " is not a search");
        };
        Set<ConstraintViolation<CropSearchRequest>> violations = validator.validate(request, Default.class,
                photo ? CropSearchRequest.Photos.class : CropSearchRequest.Crops.class);
        for (String field : FIELDS) {
            ApiException typeError = typeErrors.get(field);
            if (typeError != null) {
                throw typeError;
            }
            Optional<ConstraintViolation<CropSearchRequest>> first = violations.stream()
                    .filter(v -> field.equals(jsonName(v.getPropertyPath().toString())))
                    .min(Comparator.<ConstraintViolation<CropSearchRequest>, Boolean>comparing(v -> !isMissing(v))
                            .thenComparing(ConstraintViolation::getMessage));
            if (first.isPresent()) {
                ConstraintViolation<CropSearchRequest> v = first.get();
                throw isMissing(v) ? ApiException.missing(v.getMessage()) : ApiException.invalid(v.getMessage());
            }
        }
        List<SearchImage> images = new ArrayList<>(request.images().size());
        for (int i = 0; i < request.images().size(); i++) {
            images.add(checkImage("images[" + i + "]", request.images().get(i), photo ? photos : crops));
        }
        return new ValidatedSearch(images, Optional.ofNullable(request.collectionId()),
                Optional.ofNullable(request.maxResults()).map(Long::intValue), request.minScore(), request.searchMode(),
                endpoint);
    }

    /** Checks already-read image bytes (an S3 object) with the same rules as an inline base64 crop. */
    public SearchImage.Inline checkImageBytes(String field, byte[] bytes) {
        return ImageInspector.inspect(field, bytes, crops);
    }

    /** Checks already-read image bytes with the given rules (e.g. {@link #photoLimits()} for an S3 photo). */
    public SearchImage.Inline checkImageBytes(String field, byte[] bytes, ImageLimits rules) {
        return ImageInspector.inspect(field, bytes, rules);
    }

    /** The rules for face crops. */
    public ImageLimits cropLimits() {
        return crops;
    }

    /** The rules for whole photos. */
    public ImageLimits photoLimits() {
        return photos;
    }

    /**
     * How an uploaded object is searched: as a face crop when it is within the crop limits, else as a whole photo
     * (like {@code /search}) when it is within the photo limits; beyond those it is refused with the photo limits'
     * words.
     */
    public ApiEndpoint uploadEndpoint(String field, byte[] bytes) {
        try {
            ImageInspector.inspect(field, bytes, crops);
            return ApiEndpoint.SEARCH_CROPS;
        } catch (ApiException notACrop) {
            ImageInspector.inspect(field, bytes, photos);
            return ApiEndpoint.SEARCH;
        }
    }

    /** One image given as base64 text, a data URI, or an https URL (checked by {@link ImageUrlPolicy}). */
    SearchImage checkImage(String field, String value, ImageLimits rules) {
        String trimmed = value.strip();
        if (ImageUrlPolicy.looksLikeUrl(trimmed)) {
            return urlPolicy.check(field, trimmed);
        }
        String base64 = DATA_URI.matcher(trimmed).replaceFirst("");
        if (base64.startsWith("data:")) {
            throw ApiException.invalid("\"" + field + "\" data URI must be a base64 JPEG, PNG or WebP image");
        }
        base64 = base64.replace("\r", "").replace("\n", "");
        if (base64.length() > rules.maxEncodedLength()) {
            throw ApiException.invalid("\"" + field + "\" must be at most " + rules.maxBytes() + " bytes");
        }
        // The strict decoder below refuses any character outside the alphabet; a regex pass over a megabyte of base64
        // would cost more than the decode itself (BENCHMARKS.md, request-path costs).
        if (base64.isEmpty() || base64.length() % 4 != 0) {
            throw ApiException.invalid("\"" + field + "\" is not a valid base64 image or https URL");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("\"" + field + "\" is not a valid base64 image or https URL");
        }
        return ImageInspector.inspect(field, bytes, rules).withBase64(base64);
    }

    private static SearchMode parseMode(String value, Map<String, ApiException> typeErrors) {
        for (SearchMode mode : SearchMode.values()) {
            if (mode.name().equals(value)) {
                return mode;
            }
        }
        typeErrors.put("search_mode", ApiException.invalid("\"search_mode\" must be one of [FAST, ACCURATE]"));
        return null;
    }

    private static Long clampToLong(BigDecimal value, String field, Map<String, ApiException> typeErrors) {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > 0) {
            typeErrors.put(field, ApiException.invalid("\"" + field + "\" must be an integer"));
            return null;
        }
        if (stripped.compareTo(NUMBER_CLAMP) > 0) {
            return NUMBER_CLAMP.longValue();
        }
        if (stripped.compareTo(NUMBER_CLAMP.negate()) < 0) {
            return -NUMBER_CLAMP.longValue();
        }
        BigInteger integer = stripped.toBigIntegerExact();
        return integer.longValue();
    }

    private static Double clampToDouble(BigDecimal value) {
        // Far-out numbers only need to stay far out; clamping keeps 1e400 from becoming Infinity.
        return value.max(NUMBER_CLAMP.negate()).min(NUMBER_CLAMP).doubleValue();
    }

    private static boolean isMissing(ConstraintViolation<?> violation) {
        return violation.getConstraintDescriptor().getAnnotation() instanceof NotNull;
    }

    private static String jsonName(String property) {
        return switch (property) {
            case "collectionId" -> "collection_id";
            case "maxResults" -> "max_results";
            case "minScore" -> "min_score";
            case "searchMode" -> "search_mode";
            default -> property;
        };
    }
}
