package dev.keygate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC section 3, RFC 6750 section 2.1: where the key is looked for, and where it is not. */
class BearerTokenResolverTest {

    private static final String KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc0a1b2c";

    private static BearerTokenResolver.Result resolve(String... headerPairs) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.add(headerPairs[i], headerPairs[i + 1]);
        }
        return BearerTokenResolver.resolve(headers);
    }

    @Test
    void resolveWhenBearerKeyThenToken() {
        assertThat(resolve("Authorization", "Bearer " + KEY)).isEqualTo(new BearerTokenResolver.Token(KEY));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"bearer %s", "BEARER %s", "bEaReR %s", "Bearer     %s",
        "  Bearer %s", "Bearer %s   ", "\t Bearer %s \t"})
    void resolveWhenSchemeCaseOrWhitespaceVariesThenSameToken(String format) {
        assertThat(resolve("Authorization", format.formatted(KEY))).isEqualTo(new BearerTokenResolver.Token(KEY));
    }

    @Test
    void resolveWhenHeaderNameInOtherCaseThenToken() {
        assertThat(resolve("authorization", "Bearer " + KEY)).isEqualTo(new BearerTokenResolver.Token(KEY));
        assertThat(resolve("AUTHORIZATION", "Bearer " + KEY)).isEqualTo(new BearerTokenResolver.Token(KEY));
    }

    @Test
    void resolveWhenNoAuthorizationHeaderThenMissing() {
        assertThat(resolve()).isInstanceOf(BearerTokenResolver.Missing.class);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", " ", "\t", "Bearer", "bearer", "Bearer ", "Bearer \t ", "Basic xyz",
        "Basic dXNlcjpwYXNz", "Digest username=\"a\"", "Token " + KEY, "Bearer:" + KEY, "Bearer," + KEY,
        "Bearer" + KEY, "Bearerx " + KEY, "Bear " + KEY, KEY, "Bearer\t" + KEY, "bearer\t\t" + KEY,
        "Bearer\t " + KEY, "Bearer\u000B" + KEY, "Bearer\u00A0" + KEY})
    void resolveWhenEmptyOrOtherSchemeThenMissing(String value) {
        assertThat(resolve("Authorization", value)).isInstanceOf(BearerTokenResolver.Missing.class);
    }

    @Test
    void resolveWhenTabAfterTheSpacesThenTokenKeepsItForTheVerifierToRefuse() {
        assertThat(resolve("Authorization", "Bearer \t" + KEY)).isEqualTo(new BearerTokenResolver.Token("\t" + KEY));
    }

    @Test
    void resolveWhenTwoAuthorizationHeadersThenDuplicate() {
        assertThat(resolve("Authorization", "Bearer " + KEY, "Authorization", "Bearer " + KEY))
                .isInstanceOf(BearerTokenResolver.Duplicate.class);
        assertThat(resolve("Authorization", "Basic xyz", "authorization", "Bearer " + KEY))
                .isInstanceOf(BearerTokenResolver.Duplicate.class);
        assertThat(resolve("Authorization", "", "Authorization", ""))
                .isInstanceOf(BearerTokenResolver.Duplicate.class);
    }

    @Test
    void resolveWhenKeyOnlyInCookieOrOtherHeaderThenMissing() {
        assertThat(resolve("Cookie", "api_key=" + KEY + "; session=abc", "X-Api-Key", KEY,
                "Proxy-Authorization", "Bearer " + KEY))
                .isInstanceOf(BearerTokenResolver.Missing.class);
    }

    @Test
    void resolveWhenTokenIsNotAKeyThenTokenLeftForTheVerifierToJudge() {
        // Whether it is a well-formed key is the key format's business, not the resolver's.
        assertThat(resolve("Authorization", "Bearer not-a-key")).isEqualTo(new BearerTokenResolver.Token("not-a-key"));
    }

    @Test
    void tokenToStringWhenPrintedThenKeyHidden() {
        BearerTokenResolver.Result token = resolve("Authorization", "Bearer " + KEY);

        assertThat(token.toString()).doesNotContain(KEY).doesNotContain(KEY.substring(8));
    }
}
