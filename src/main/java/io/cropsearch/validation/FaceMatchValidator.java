package io.cropsearch.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.cropsearch.errors.ApiException;
import io.cropsearch.model.CropSearchRequest;
import io.cropsearch.model.SearchMode;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The input rules of the 1:1 endpoints, {@code POST /v2/face-recognition/verify} and {@code /compare}, in the same
 * Joi-style words, codes (409 {@code MissingParameter}/{@code InvalidParameter}) and image checks as the crops search
 * ({@link CropSearchValidator}, whose strict JSON parse and image inspection this reuses). Both take whole photos
 * ({@link CropSearchValidator#photoLimits()}), as base64 only: Verifik documents them as base64, and an image the
 * function has inspected is the only kind the embedded engine can read.
 *
 * <p>Fields are checked in the order listed in each method, the first bad one reported; the images' contents (decoding
 * base64, reading headers) are checked last, once every cheap rule has passed, as the crops search does.
 */
@ApplicationScoped
public class FaceMatchValidator {
    /** The mode of a compare that names none: the quicker one, as Verifik's documentation leaves it optional. */
    public static final SearchMode DEFAULT_COMPARE_MODE = SearchMode.FAST;
    /** Verify's {@code min_score} range: the crops contract's. */
    static final BigDecimal VERIFY_MIN = new BigDecimal("0.5");
    static final BigDecimal VERIFY_MAX = BigDecimal.ONE;
    /** Compare's {@code compare_min_score} range as Verifik documents it. */
    static final BigDecimal COMPARE_MIN = new BigDecimal("0.67");
    static final BigDecimal COMPARE_MAX = new BigDecimal("0.95");

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]*");
    private static final int MAX_ID_LENGTH = 128;

    private final CropSearchValidator base;

    public FaceMatchValidator(CropSearchValidator base) {
        this.base = base;
    }

    /** Order: {@code id, images, collection_id, min_score, search_mode}, then the images' contents. */
    public ValidatedVerify validateVerify(byte[] body) {
        JsonNode root = base.parseObject(body);
        String personId = identifier(root, "id", true);
        List<String> images = imageTexts(root, "images");
        String collectionId = identifier(root, "collection_id", false);
        double minScore = score(root, "min_score", true, VERIFY_MIN, VERIFY_MAX);
        SearchMode mode = mode(root, true);
        return new ValidatedVerify(personId, inspect("images", images), Optional.ofNullable(collectionId), minScore,
                mode);
    }

    /** Order: {@code probe, gallery, search_mode, compare_min_score}, then the images' contents (probe first). */
    public ValidatedCompare validateCompare(byte[] body) {
        JsonNode root = base.parseObject(body);
        List<String> probe = imageTexts(root, "probe");
        List<String> gallery = imageTexts(root, "gallery");
        SearchMode mode = mode(root, false);
        Double threshold = root.get("compare_min_score") == null ? null
                : score(root, "compare_min_score", false, COMPARE_MIN, COMPARE_MAX);
        return new ValidatedCompare(inspect("probe", probe), inspect("gallery", gallery),
                mode == null ? DEFAULT_COMPARE_MODE : mode, Optional.ofNullable(threshold));
    }

    /** An array of 1-3 strings; the strings themselves are inspected later by {@link #inspect}. */
    private static List<String> imageTexts(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null) {
            throw ApiException.missing(quote(field) + " is required");
        }
        if (!node.isArray()) {
            throw ApiException.invalid(quote(field) + " must be an array");
        }
        if (node.isEmpty()) {
            throw ApiException.invalid(quote(field) + " must contain at least 1 items");
        }
        if (node.size() > CropSearchRequest.MAX_IMAGES) {
            throw ApiException.invalid(quote(field) + " must contain less than or equal to "
                    + CropSearchRequest.MAX_IMAGES + " items");
        }
        List<String> texts = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw ApiException.invalid(quote(field + "[" + i + "]") + " must be a string");
            }
            texts.add(item.textValue());
        }
        return texts;
    }

    private List<SearchImage.Inline> inspect(String field, List<String> texts) {
        List<SearchImage.Inline> images = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String item = field + "[" + i + "]";
            String text = texts.get(i);
            if (ImageUrlPolicy.looksLikeUrl(text.strip())
                    || !(base.checkImage(item, text, base.photoLimits()) instanceof SearchImage.Inline inline)) {
                throw ApiException.invalid(quote(item) + " must be a base64 image");
            }
            images.add(inline);
        }
        return images;
    }

    /** A person's {@code _id} or a collection's {@code _id}/{@code code}: the crops contract's collection id rule. */
    private static String identifier(JsonNode root, String field, boolean required) {
        JsonNode node = root.get(field);
        if (node == null) {
            if (required) {
                throw ApiException.missing(quote(field) + " is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid(quote(field) + " must be a string");
        }
        String value = node.textValue();
        if (value.isEmpty()) {
            throw ApiException.invalid(quote(field) + " is not allowed to be empty");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw ApiException.invalid(quote(field) + " length must be less than or equal to " + MAX_ID_LENGTH
                    + " characters long");
        }
        if (!ID.matcher(value).matches()) {
            throw ApiException.invalid(quote(field) + " must only contain letters, digits and the characters _ . : -");
        }
        return value;
    }

    private static double score(JsonNode root, String field, boolean required, BigDecimal min, BigDecimal max) {
        JsonNode node = root.get(field);
        if (node == null) {
            if (required) {
                throw ApiException.missing(quote(field) + " is required");
            }
            return Double.NaN;
        }
        if (!node.isNumber()) {
            throw ApiException.invalid(quote(field) + " must be a number");
        }
        // Compared as decimals (the parser reads floats as BigDecimal): 1e400 is out of range, not Infinity.
        BigDecimal value = node.decimalValue();
        if (value.compareTo(min) < 0) {
            throw ApiException.invalid(quote(field) + " must be greater than or equal to " + min.toPlainString());
        }
        if (value.compareTo(max) > 0) {
            throw ApiException.invalid(quote(field) + " must be less than or equal to " + max.toPlainString());
        }
        return value.doubleValue();
    }

    private static SearchMode mode(JsonNode root, boolean required) {
        JsonNode node = root.get("search_mode");
        if (node == null) {
            if (required) {
                throw ApiException.missing("\"search_mode\" is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid("\"search_mode\" must be a string");
        }
        for (SearchMode mode : SearchMode.values()) {
            if (mode.name().equals(node.textValue())) {
                return mode;
            }
        }
        throw ApiException.invalid("\"search_mode\" must be one of [FAST, ACCURATE]");
    }

    private static String quote(String field) {
        return "\"" + field + "\"";
    }
}
