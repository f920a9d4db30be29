package io.cropsearch.validation;

import io.cropsearch.errors.ApiException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

    /**
     * Names that reach a cloud metadata service or another host-local service by name (the metadata services also
     * answer on the link-local addresses refused below). Names under the suffixes further down are covered there.
     */
    private static final Set<String> METADATA_NAMES = Set.of(
            "metadata.goog",            // Google Cloud (alias of metadata.google.internal)
            "metadata.tencentyun.com",  // Tencent Cloud
            "metadata.platformequinix.com");

    /**
     * Suffixes of names that are private by definition: ICANN's reserved {@code .internal} (GCP's
     * {@code metadata.google.internal}, EC2's {@code instance-data.ec2.internal} and {@code *.compute.internal}),
     * mDNS and cluster names ({@code .local}, {@code svc.cluster.local}), {@code .localhost} and home networks.
     */
    private static final List<String> PRIVATE_SUFFIXES = List.of(
            ".internal", ".local", ".localhost", ".localdomain", ".home.arpa");

    private static boolean isForbiddenHost(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            return isForbiddenAddress(literal(host.substring(1, host.length() - 1)));
        }
        // "metadata.google.internal." is the same name as without its root dot.
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (IPV4_LITERAL.matcher(name).matches()) {
            return isForbiddenAddress(literal(name));
        }
        if (NUMERIC_HOST.matcher(host).matches()) {
            return true;
        }
        // A single label (localhost, metadata, instance-data, a container's name) is resolved through the fetcher's
        // search domains, to whatever is local to it; public image hosts always have a dot.
        if (name.isEmpty() || name.indexOf('.') < 0) {
            return true;
        }
        if (METADATA_NAMES.contains(name)) {
            return true;
        }
        for (String suffix : PRIVATE_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
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
        return address instanceof Inet6Address && isForbiddenIpv6(b);
    }

    /**
     * IPv6 ranges that are local themselves, or that carry an IPv4 address a translator or tunnel on the fetcher's
     * path would reach: such an address is refused when the IPv4 address inside it would be.
     */
    private static boolean isForbiddenIpv6(byte[] b) {
        int first = b[0] & 0xFF;
        if ((first & 0xFE) == 0xFC) {
            return true; // fc00::/7 unique local, fd00:ec2::254 (the EC2 metadata service) among them
        }
        if (startsWith(b, 0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01)) {
            return true; // 64:ff9b:1::/48, NAT64 for local use (RFC 8215): what it reaches is a local decision
        }
        if (startsWith(b, 0x20, 0x01, 0x00, 0x00)) {
            return true; // 2001::/32 Teredo: the tunnel's far end is chosen by the address itself
        }
        if (startsWith(b, 0x00, 0x64, 0xFF, 0x9B) && zero(b, 4, 12)) {
            return isForbiddenV4(b, 12); // 64:ff9b::/96, well-known NAT64 prefix (RFC 6052)
        }
        if (startsWith(b, 0x20, 0x02)) {
            return isForbiddenV4(b, 2); // 2002::/16, 6to4: the IPv4 address follows the prefix
        }
        if (zero(b, 0, 12)) {
            return true; // ::a.b.c.d, IPv4-compatible (deprecated; :: and ::1 are caught above)
        }
        if (zero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
            return isForbiddenV4(b, 12); // ::ffff:a.b.c.d, IPv4-mapped (Java usually hands these over as IPv4)
        }
        if (zero(b, 0, 8) && (b[8] & 0xFF) == 0xFF && (b[9] & 0xFF) == 0xFF && zero(b, 10, 12)) {
            return isForbiddenV4(b, 12); // ::ffff:0:a.b.c.d, IPv4-translated (RFC 2765)
        }
        return false;
    }

    private static boolean isForbiddenV4(byte[] b, int offset) {
        try {
            return isForbiddenAddress(InetAddress.getByAddress(new byte[] {b[offset], b[offset + 1], b[offset + 2],
                    b[offset + 3]}));
        } catch (Exception e) {
            return true;
        }
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
