package dev.keygate.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow(() -> new AssertionError("not an address: " + text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "192.0.2.1", "10.0.0.0", "::", "::1", "1::", "2001:db8::17",
        "2001:DB8:0:0:0:0:0:17", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
        "::ffff:192.0.2.1", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:1.2.3.4"})
    void parseWhenAddressLiteralThenAccepted(String text) {
        assertThat(IpAddress.parse(text)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.02.3.4", "1.2.3.00", "256.1.1.1", "1.2.3.4 ",
        " 1.2.3.4", "1..2.3", "1.2.3.", ".1.2.3", "0x1.2.3.4", "1.2.3.-4", "１.2.3.4", "localhost", "example.com",
        "1234", ":::", "1:::2", "1::2::3", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::",
        "g::1", "fe80::1%eth0", "[::1]", "::1/128", "1:2:3:4:5:6:7:1.2.3.4", "::ffff:1.2.3", "::ffff:01.2.3.4",
        "1:2:3:4:5:6:7:8::", "::1:", "1.2.3.4:80", "::ffff:1.2.3.4.5"})
    void parseWhenNotAStrictAddressLiteralThenEmpty(String text) {
        assertThat(IpAddress.parse(text)).isEmpty();
    }

    @Test
    void parseWhenIpv4MappedIpv6ThenSameAsIpv4() {
        assertThat(ip("::ffff:192.0.2.1")).isEqualTo(ip("192.0.2.1"));
        assertThat(ip("::FFFF:c000:0201")).isEqualTo(ip("192.0.2.1"));
        assertThat(ip("::ffff:192.0.2.1").isIpv4()).isTrue();
        assertThat(ip("::192.0.2.1").isIpv4()).isFalse();
        assertThat(ip("2001:db8::1").toString()).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.0/24, 192.0.2.0, true", "192.0.2.0/24, 192.0.2.255, true", "192.0.2.0/24, 192.0.3.0, false",
        "192.0.2.0/24, 192.0.1.255, false", "0.0.0.0/0, 203.0.113.9, true", "0.0.0.0/0, 2001:db8::1, false",
        "192.0.2.7/32, 192.0.2.7, true", "192.0.2.7/32, 192.0.2.6, false", "192.0.2.7, 192.0.2.7, true",
        "192.0.2.7, 192.0.2.8, false", "10.0.0.0/8, ::ffff:10.1.2.3, true", "10.0.0.0/8, ::ffff:11.1.2.3, false",
        "::ffff:10.0.0.0/104, 10.9.9.9, true", "::ffff:0:0/96, 198.51.100.1, true", "::/0, 2001:db8::1, true",
        "::/0, 192.0.2.1, false", "2001:db8::/32, 2001:db8:ffff::1, true", "2001:db8::/32, 2001:db9::1, false",
        "2001:db8::1/128, 2001:db8::1, true", "2001:db8::1/128, 2001:db8::2, false", "2001:db8::1, 2001:db8::1, true",
        "2001:db8::/64, 2001:db8::ffff:ffff:ffff:ffff, true", "2001:db8::/64, 2001:db8:0:1::, false",
        "2001:db8::/65, 2001:db8::7fff:0:0:0, true", "2001:db8::/65, 2001:db8::8000:0:0:0, false",
        "2001:db8::/127, 2001:db8::1, true", "2001:db8::/127, 2001:db8::2, false", "128.0.0.0/1, 200.0.0.1, true",
        "128.0.0.0/1, 127.255.255.255, false", "255.255.255.254/31, 255.255.255.255, true"})
    void containsWhenAddressThenTrueOnlyInsideTheNetwork(String cidr, String address, boolean inside) {
        assertThat(Cidr.parse(cidr).contains(ip(address))).isEqualTo(inside);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "192.0.2.0/33| the prefix length is at most 32", "2001:db8::/129| the prefix length is at most 128",
        "::ffff:10.0.0.0/129| the prefix length is at most 128", "192.0.2.0/024| no valid prefix length",
        "192.0.2.0/| no valid prefix length", "192.0.2.0/-1| no valid prefix length", "192.0.2.0/ 24| no valid prefix length",
        "192.0.2.0/24/8| no valid prefix length", "192.0.2.0/1000| no valid prefix length",
        "192.0.2.1/24| bits set after its prefix", "2001:db8::1/64| bits set after its prefix",
        "010.0.0.0/8| not an IPv4 or IPv6 address", "fe80::%eth0/64| no zone id", "fe80::1%1| no zone id",
        "[2001:db8::]/32| not an IPv4 or IPv6 address", "example.com/24| not an IPv4 or IPv6 address",
        "/24| not an IPv4 or IPv6 address", "::ffff:10.0.0.0/80| a prefix of 96 or more",
        "1.2.3.4 /32| not an IPv4 or IPv6 address", "garbage| not an IPv4 or IPv6 address"})
    void parseWhenNotAStrictCidrThenRefusedSayingWhy(String text, String why) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
    }

    @Test
    void parseWhenNullOrEmptyThenRefused() {
        assertThatThrownBy(() -> Cidr.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringWhenParsedThenNormalFormAndEqualForSameNetwork() {
        assertThat(Cidr.parse("192.0.2.0/24")).hasToString("192.0.2.0/24");
        assertThat(Cidr.parse("192.0.2.9")).hasToString("192.0.2.9/32");
        assertThat(Cidr.parse("::ffff:192.0.2.0/120")).isEqualTo(Cidr.parse("192.0.2.0/24"));
        assertThat(Cidr.parse("2001:DB8::/32")).isEqualTo(Cidr.parse("2001:db8:0::/32")).hasToString("2001:db8:0:0:0:0:0:0/32");
        assertThat(Cidr.parse("::/0").prefixLength()).isZero();
    }

    @Test
    void cidrListWhenParsedFromCommaSeparatedTextThenContainsAnyEntryAndRefusesEmptyEntries() {
        CidrList list = CidrList.parseCommaSeparated(" 10.0.0.0/8 , fd00::/8,192.0.2.1");
        assertThat(list.size()).isEqualTo(3);
        assertThat(list.contains(ip("10.200.0.1"))).isTrue();
        assertThat(list.contains(ip("fd12::1"))).isTrue();
        assertThat(list.contains(ip("192.0.2.1"))).isTrue();
        assertThat(list.contains(ip("192.0.2.2"))).isFalse();
        assertThat(CidrList.parseCommaSeparated("").isEmpty()).isTrue();
        assertThat(CidrList.EMPTY.contains(ip("127.0.0.1"))).isFalse();
        assertThatThrownBy(() -> CidrList.parseCommaSeparated("10.0.0.0/8,,fd00::/8")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cidrListWhenFiftyMixedEntriesThenEachFamilyMatchesOnlyItsOwnEntriesUpToTheLast() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            texts.add("198.51." + i + ".0/24");
            texts.add("2001:db8:" + Integer.toHexString(i) + "::/48");
        }
        CidrList list = CidrList.parse(texts);
        assertThat(list.size()).isEqualTo(50);
        assertThat(list.contains(ip("198.51.24.255"))).isTrue();
        assertThat(list.contains(ip("::ffff:198.51.24.1"))).isTrue();
        assertThat(list.contains(ip("2001:db8:18:ffff::1"))).isTrue();
        assertThat(list.contains(ip("198.51.25.0"))).isFalse();
        assertThat(list.contains(ip("2001:db8:19::1"))).isFalse();
        assertThat(CidrList.parse(List.of("::/0")).contains(ip("192.0.2.1"))).isFalse();
        assertThat(CidrList.parse(List.of("0.0.0.0/0")).contains(ip("2001:db8::1"))).isFalse();
        assertThat(CidrList.parse(List.of("10.0.0.0/8", "10.0.0.0/8")).size()).isEqualTo(1);
    }
}
