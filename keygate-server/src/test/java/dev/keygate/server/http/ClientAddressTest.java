package dev.keygate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One way of writing client addresses in the request log and the audit log (RFC 5952). */
class ClientAddressTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0:0:0:0:0:0:0:1, ::1",
        "::1, ::1",
        "127.0.0.1, 127.0.0.1",
        "203.0.113.7, 203.0.113.7",
        "::ffff:127.0.0.1, 127.0.0.1",
        "0:0:0:0:0:ffff:cb00:7107, 203.0.113.7",
        "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "0:0:0:0:0:0:0:0, ::",
        "fe80:0:0:0:0:0:0:1, fe80::1",
        "1:0:0:0:0:0:0:0, 1::",
        "-, -",
        "client.example, client.example",
    })
    void formatWhenAddressLiteralThenTheOneCanonicalText(String given, String shown) {
        assertThat(ClientAddress.format(given)).isEqualTo(shown);
    }
}
