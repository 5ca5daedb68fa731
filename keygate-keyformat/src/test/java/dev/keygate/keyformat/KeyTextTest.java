package dev.keygate.keyformat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"sk_test_", "sk_live_", "pk_test_", "pk_live_", "rk_test_", "rk_live_"})
    void containsAndMaskWhenAnyKeyPrefixInUrlThenFoundAndMaskedToPrefix(String prefix) {
        String url = "/api/v1/ping?api_key=" + prefix + "abcdefgh12345678&x=1";
        assertThat(KeyText.contains(url)).isTrue();
        assertThat(KeyText.mask(url)).isEqualTo("/api/v1/ping?api_key=" + prefix + "...&x=1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/ping", "/work/rk_test_short", "tk_test_abcdefgh12345678", "rk_prod_abcdefgh1234"})
    void containsWhenNoKeyShapedTextThenFalseAndMaskUnchanged(String text) {
        assertThat(KeyText.contains(text)).isFalse();
        assertThat(KeyText.mask(text)).isEqualTo(text);
    }
}
