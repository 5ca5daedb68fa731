package dev.keygate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keygate.keyformat.ApiKey;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Fuzz test of the Bearer parsing of SPEC section 3: any {@code Authorization} value is either a
 * token exactly as the rule says, or missing; never an exception. Runs over the committed inputs
 * in {@code BearerTokenResolverFuzzTestInputs/} in a normal build; fuzzes with {@code JAZZER_FUZZ=1}.
 */
class BearerTokenResolverFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void resolveWhenAnyHeaderValueThenTokenAfterSpacesOrMissing(byte[] input) {
        // Netty reads header bytes as ISO-8859-1: every byte is one char.
        String value = new String(input, StandardCharsets.ISO_8859_1);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", value);

        BearerTokenResolver.Result result = BearerTokenResolver.resolve(headers);

        String stripped = value.strip();
        boolean bearerThenSpace = stripped.length() > 7
                && stripped.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")
                && !stripped.substring(7).replace(" ", "").isEmpty();
        assertThat(result).isNotNull().isNotInstanceOf(BearerTokenResolver.Duplicate.class);
        if (result instanceof BearerTokenResolver.Token token) {
            assertThat(bearerThenSpace).as("a token only after \"Bearer\" and one or more spaces").isTrue();
            assertThat(token.value()).isNotEmpty().doesNotStartWith(" ");
            assertThat(stripped).endsWith(token.value());
            assertThat(stripped.substring(6, stripped.length() - token.value().length())).matches(" +");
            assertThat(token.toString()).doesNotContain(token.value());
            // The verifier's first look at the token must not throw either.
            ApiKey.malformation(token.value());
        } else {
            assertThat(result).isInstanceOf(BearerTokenResolver.Missing.class);
            assertThat(bearerThenSpace).as("\"Bearer\", spaces and a token are never missing").isFalse();
        }
    }

    @FuzzTest(maxDuration = "5m")
    void resolveWhenTwoHeaderValuesThenDuplicate(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        int split = text.length() / 2;
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", text.substring(0, split))
                .add("authorization", text.substring(split));

        assertThat(BearerTokenResolver.resolve(headers)).isInstanceOf(BearerTokenResolver.Duplicate.class);
    }
}
