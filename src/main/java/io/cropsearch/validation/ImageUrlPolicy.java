package io.cropsearch.validation;

import io.cropsearch.errors.ApiException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which image URLs may be forwarded upstream. The upstream fetches them server-side, so anything that could point it
 * (or a proxy in between) at a loopback, private or link-local address is refused. Host names are not resolved here:
 * DNS answers can change between our check and the upstream's fetch, so the guard against them belongs to the fetcher;
 * we refuse what we can decide without a lookup.
 */
final class ImageUrlPolicy {
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Hosts made only of digits, dots and hex prefixes are IP addresses in disguise (2130706433, 0x7f.1). */
    private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]+|\\d+)(\\.(0x[0-9a-f]+|\\d+))*\\.?");

    private final int maxLength;

    ImageUrlPolicy(int maxLength) {
        this.maxLength = maxLength;
    }

    static boolean looksLikeUrl(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0 || colon > 10) {
            return false;
        }
        String scheme = value.substring(0, colon);
        return scheme.chars().allMatch(c -> Character.isLetter(c) || c == '+' || c == '-' || c == '.')
                && !scheme.equalsIgnoreCase("data");
    }

    SearchImage.Remote check(String field, String value) {
        String bad = ImageInspector.quote(field) + " is not a valid base64 image or https URL";
        if (value.length() > maxLength) {
            throw ApiException.invalid(ImageInspector.quote(field) + " URL must be at most " + maxLength + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw ApiException.invalid(bad);
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw ApiException.invalid(ImageInspector.quote(field) + " URL must use https");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            throw ApiException.invalid(ImageInspector.quote(field) + " URL must not contain user information");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw ApiException.invalid(bad);
        }
        if (isForbiddenHost(host.toLowerCase(Locale.ROOT))) {
            throw ApiException.invalid(ImageInspector.quote(field)
                    + " URL must not point to a loopback, private or link-local address");
        }
        return new SearchImage.Remote(uri);
    }

    private static boolean isForbiddenHost(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost") || host.equals("localhost.")) {
            return true;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            return isForbiddenAddress(literal(host.substring(1, host.length() - 1)));
        }
        if (IPV4_LITERAL.matcher(host).matches()) {
            return isForbiddenAddress(literal(host));
        }
        return NUMERIC_HOST.matcher(host).matches();
    }

    private static InetAddress literal(String address) {
        try {
            // Only literals reach here, so this never performs a DNS lookup.
            return InetAddress.getByName(address);
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean isForbiddenAddress(InetAddress address) {
        if (address == null) {
            return true;
        }
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            return first == 0 || first >= 240 || (first == 100 && second >= 64 && second <= 127)
                    || (first == 198 && (second == 18 || second == 19)) || (first == 192 && second == 0 && (b[2] & 0xFF) == 0);
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xFF;
            if ((first & 0xFE) == 0xFC) {
                return true; // fc00::/7 unique local
            }
            boolean v4Embedded = true;
            for (int i = 0; i < 10; i++) {
                v4Embedded &= b[i] == 0;
            }
            if (v4Embedded && (b[10] == (byte) 0xFF && b[11] == (byte) 0xFF || b[10] == 0 && b[11] == 0)) {
                byte[] v4 = {b[12], b[13], b[14], b[15]};
                try {
                    return isForbiddenAddress(InetAddress.getByAddress(v4));
                } catch (Exception e) {
                    return true;
                }
            }
        }
        return false;
    }
}
