package io.cropsearch.validation;

import io.cropsearch.errors.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which URLs may be handed to the upstream's fetcher: local addresses in every disguise are refused, without DNS. */
class ImageUrlPolicyTest {
    private static final String REFUSED = "\"images[0]\" URL must not point to a loopback, private or link-local address";
    private final ImageUrlPolicy policy = new ImageUrlPolicy(2048);

    @ParameterizedTest
    @ValueSource(strings = {
            // literal addresses (refused before this table existed; kept as the baseline)
            "https://127.0.0.1/a.jpg", "https://10.0.0.1/", "https://169.254.169.254/latest/meta-data/",
            "https://[::1]/", "https://[fe80::1]/", "https://[::ffff:127.0.0.1]/", "https://2130706433/",
            // NAT64 (RFC 6052) of link-local, loopback and private IPv4; the local-use NAT64 prefix
            "https://[64:ff9b::a9fe:a9fe]/", "https://[64:ff9b::169.254.169.254]/", "https://[64:ff9b::7f00:1]/",
            "https://[64:ff9b::10.0.0.1]/", "https://[64:ff9b:1::808:808]/",
            // 6to4 of link-local, loopback and private IPv4
            "https://[2002:a9fe:a9fe::1]/", "https://[2002:7f00:1::]/", "https://[2002:c0a8:101::1]/",
            // Teredo
            "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "https://[2001::1]/",
            // unique local addresses, the EC2 IPv6 metadata address among them
            "https://[fd00:ec2::254]/latest/meta-data/", "https://[fc00::1]/", "https://[fdff:ffff::1]/",
            // IPv4-mapped, -compatible and -translated forms, in hex too
            "https://[::ffff:a9fe:a9fe]/", "https://[::ffff:7f00:1]/", "https://[::169.254.169.254]/",
            "https://[::8.8.8.8]/", "https://[::ffff:0:a9fe:a9fe]/", "https://[0:0:0:0:0:ffff:10.0.0.1]/",
            // single-label hosts, resolved through the fetcher's search domains
            "https://instance-data/latest/", "https://metadata/computeMetadata/v1/", "https://localhost/",
            "https://localhost./", "https://kubernetes/", "https://intranet:8443/x.jpg",
            // well-known metadata names and private-by-definition suffixes
            "https://metadata.google.internal/computeMetadata/v1/", "https://METADATA.GOOGLE.INTERNAL./",
            "https://instance-data.ec2.internal/latest/", "https://ip-10-0-0-1.eu-west-1.compute.internal/",
            "https://metadata.goog/", "https://metadata.tencentyun.com/latest/", "https://printer.local/",
            "https://api.default.svc.cluster.local/", "https://sub.localhost/", "https://nas.home.arpa/"})
    void refusesLocalAddressesInEveryDisguise(String url) {
        ApiException e = assertThrows(ApiException.class, () -> policy.check("images[0]", url), url);
        assertEquals(409, e.status());
        assertEquals(REFUSED, e.getMessage(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://example.com/a.jpg", "https://cdn.example.co.uk:8443/faces/1.png", "https://example.com./a.jpg",
            "https://93.184.216.34/a.jpg", "https://[2606:2800:220:1:248:1893:25c8:1946]/a.jpg",
            "https://[64:ff9b::5db8:d822]/", "https://[2002:5db8:d822::1]/", "https://[::ffff:93.184.216.34]/",
            "https://internal.example.com/", "https://metadata.example.com/", "https://local.example.org/"})
    void acceptsPublicHosts(String url) {
        assertEquals(url, policy.check("images[0]", url).upstreamValue());
    }
}
