package dev.keygate.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientAddressResolverTest {

    /** Proxies 10.0.0.0/8 and fd00::/8 are trusted; the client is 203.0.113.7. */
    private final ClientAddressResolver resolver =
            new ClientAddressResolver(CidrList.parseCommaSeparated("10.0.0.0/8,fd00::/8"));

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow();
    }

    private static ClientAddress known(String text) {
        return new ClientAddress.Known(ip(text));
    }

    private ClientAddress xff(String peer, String... lines) {
        return resolver.resolve(ip(peer), List.of(), List.of(lines));
    }

    private ClientAddress forwarded(String peer, String... lines) {
        return resolver.resolve(ip(peer), List.of(lines), List.of());
    }

    @Test
    void resolveWhenPeerUntrustedThenPeerAndHeadersIgnoredEvenMalformed() {
        assertThat(xff("203.0.113.7", "198.51.100.1")).isEqualTo(known("203.0.113.7"));
        assertThat(xff("203.0.113.7", "garbage,,")).isEqualTo(known("203.0.113.7"));
        assertThat(forwarded("203.0.113.7", "for=\"[")).isEqualTo(known("203.0.113.7"));
        assertThat(new ClientAddressResolver(CidrList.EMPTY).resolve(ip("10.0.0.1"), List.of("for=1.1.1.1"),
                List.of("1.1.1.1"))).isEqualTo(known("10.0.0.1"));
    }

    @Test
    void resolveWhenTrustedPeerSendsNoHeaderThenPeer() {
        assertThat(resolver.resolve(ip("10.0.0.1"), List.of(), List.of())).isEqualTo(known("10.0.0.1"));
    }

    /** Chains of 1 to 5 hops after the client: each proxy appended the address it saw. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "203.0.113.7| 10.0.0.1",
        "203.0.113.7, 10.0.0.2| 10.0.0.1",
        "203.0.113.7, 10.0.0.3, 10.0.0.2| 10.0.0.1",
        "203.0.113.7, 10.0.0.4, fd00::3, 10.0.0.2| 10.0.0.1",
        "203.0.113.7, 10.0.0.5, 10.0.0.4, 10.0.0.3, 10.0.0.2| 10.0.0.1"})
    void resolveWhenChainOfTrustedProxiesThenTheClientBeforeThem(String chain, String peer) {
        assertThat(xff(peer, chain)).isEqualTo(known("203.0.113.7"));
        String asForwarded = String.join(", ", java.util.Arrays.stream(chain.split(", "))
                .map(hop -> hop.contains(":") ? "for=\"[" + hop + "]\"" : "for=" + hop).toList());
        assertThat(forwarded(peer, asForwarded)).isEqualTo(known("203.0.113.7"));
    }

    @Test
    void resolveWhenClientSpoofsLeftmostEntriesThenTheyAreIgnored() {
        assertThat(xff("10.0.0.1", "1.1.1.1, 192.0.2.9, 203.0.113.7")).isEqualTo(known("203.0.113.7"));
        assertThat(xff("10.0.0.1", "10.0.0.99, 203.0.113.7, 10.0.0.2")).isEqualTo(known("203.0.113.7"));
        assertThat(forwarded("10.0.0.1", "for=10.0.0.5, for=203.0.113.7;proto=https")).isEqualTo(known("203.0.113.7"));
        // The client's own header line comes first; the proxy's appended line after it.
        assertThat(xff("10.0.0.1", "1.1.1.1", "203.0.113.7")).isEqualTo(known("203.0.113.7"));
    }

    @Test
    void resolveWhenEveryHopIsATrustedProxyThenTheLeftmost() {
        assertThat(xff("10.0.0.1", "10.0.0.9, 10.0.0.8")).isEqualTo(known("10.0.0.9"));
    }

    @Test
    void resolveWhenForwardedHasIpv6PortsQuotesAndOtherParametersThenTheForNode() {
        assertThat(forwarded("10.0.0.1", "for=\"[2001:db8:cafe::17]:4711\"")).isEqualTo(known("2001:db8:cafe::17"));
        assertThat(forwarded("10.0.0.1", "For=\"203.0.113.7:443\";by=10.0.0.1;PROTO=https;host=\"api.example\""))
                .isEqualTo(known("203.0.113.7"));
        assertThat(forwarded("10.0.0.1", "proto=https;for=\"[2001:db8::1]:_abc\"")).isEqualTo(known("2001:db8::1"));
        assertThat(forwarded("10.0.0.1", "for=\"\\203.0.113.7\"")).isEqualTo(known("203.0.113.7"));
        assertThat(forwarded("fd00::1", "for=\"[::ffff:203.0.113.7]\"")).isEqualTo(known("203.0.113.7"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"for=unknown", "for=_hidden", "for=\"_x.y-z:_port\"", "proto=https", "for=unknown, for=10.0.0.2",
        "for=1.1.1.1, for=_secret"})
    void resolveWhenRightmostUntrustedHopHasNoAddressThenUnidentified(String header) {
        assertThat(forwarded("10.0.0.1", header)).isEqualTo(new ClientAddress.Unidentified());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "203.0.113.7,", ",203.0.113.7", "203.0.113.7,,10.0.0.2", "203.0.113.7:80",
        "[2001:db8::1]", "unknown", "example.com", "203.0.113.07", "fe80::1%eth0", "203.0.113.7;10.0.0.2",
        "203.0.113.7 10.0.0.2"})
    void resolveWhenTrustedPeerSendsMalformedXForwardedForThenMalformed(String header) {
        assertThat(xff("10.0.0.1", header)).isInstanceOf(ClientAddress.Malformed.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "for", "for=", "for=\"\"", "=1.2.3.4", "for=1.2.3.4;for=5.6.7.8", "for=2001:db8::1",
        "for=[2001:db8::1]", "for=\"[2001:db8::1\"", "for=\"[1.2.3.4]\"", "for=\"[2001:db8::1]x\"", "for=\"1.2.3.4:\"",
        "for=\"1.2.3.4:123456\"", "for=\"1.2.3.4:8a\"", "for=\"203.0.113.7", "for=1.2.3.4,", "for=1.2.3.4,,for=5.6.7.8",
        "for=1.2.3.4 for=5.6.7.8", "for=_", "for=localhost", "for=\"[fe80::1%25eth0]\"", "for=01.2.3.4",
        "for=1.2.3.4;", "for=\"a\u0001\"", "for=\"\\\""})
    void resolveWhenTrustedPeerSendsMalformedForwardedThenMalformed(String header) {
        assertThat(forwarded("10.0.0.1", header)).isInstanceOf(ClientAddress.Malformed.class);
    }

    @Test
    void resolveWhenBothHeadersAgreeThenThatClientAndWhenTheyDisagreeThenMalformed() {
        assertThat(resolver.resolve(ip("10.0.0.1"), List.of("for=203.0.113.7"), List.of("203.0.113.7")))
                .isEqualTo(known("203.0.113.7"));
        assertThat(resolver.resolve(ip("10.0.0.1"), List.of("for=1.1.1.1, for=203.0.113.7"), List.of("9.9.9.9, 203.0.113.7")))
                .isEqualTo(known("203.0.113.7"));
        // A proxy that appends only to X-Forwarded-For passes the client's Forwarded on: not believed.
        assertThat(resolver.resolve(ip("10.0.0.1"), List.of("for=1.1.1.1"), List.of("203.0.113.7")))
                .isInstanceOf(ClientAddress.Malformed.class);
        assertThat(resolver.resolve(ip("10.0.0.1"), List.of("for=unknown"), List.of("203.0.113.7")))
                .isInstanceOf(ClientAddress.Malformed.class);
        assertThat(resolver.resolve(ip("10.0.0.1"), List.of("for=203.0.113.7"), List.of("203.0.113.7,")))
                .isInstanceOf(ClientAddress.Malformed.class);
    }

    @Test
    void malformedWhenReasonThenNamesTheHeaderAndNeverEchoesIt() {
        ClientAddress.Malformed malformed = (ClientAddress.Malformed) xff("10.0.0.1", "sk_test_secret, 1.2.3.4");
        assertThat(malformed.reason()).contains("X-Forwarded-For").doesNotContain("sk_test_secret");
    }
}
