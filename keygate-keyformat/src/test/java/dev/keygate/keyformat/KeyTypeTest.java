package dev.keygate.keyformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyTypeTest {

    @ParameterizedTest
    @CsvSource({"public, PUBLIC, pk", "secret, SECRET, sk", "restricted, RESTRICTED, rk"})
    void fromLabelWhenKnownLabelThenTypeWithItsPrefix(String label, KeyType type, String prefix) {
        assertThat(KeyType.fromLabel(label)).isEqualTo(type);
        assertThat(type.label()).isEqualTo(label);
        assertThat(type.prefix()).isEqualTo(prefix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Restricted", "RESTRICTED", "rk", "restrict", " restricted", "publishable"})
    void fromLabelWhenUnknownLabelThenRefusedNamingTheThreeTypes(String label) {
        assertThatThrownBy(() -> KeyType.fromLabel(label))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key type must be public, secret or restricted");
    }

    @ParameterizedTest
    @CsvSource({"RESTRICTED, TEST, rk_test_", "RESTRICTED, LIVE, rk_live_"})
    void restrictedKeyWhenGeneratedThenParsedBackAsRestrictedAndMaskedWithItsPrefix(KeyType type,
            Environment environment, String prefix) {
        ApiKey key = ApiKey.generate(type, environment, new SplittableRandom(5));
        ApiKey parsed = ApiKey.parse(key.reveal());
        assertThat(parsed.type()).isEqualTo(KeyType.RESTRICTED);
        assertThat(parsed.environment()).isEqualTo(environment);
        assertThat(parsed.masked()).isEqualTo(prefix + "..." + key.reveal().substring(42));
        assertThat(ApiKey.prefix(type, environment)).isEqualTo(prefix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rk", "rk_", "rk_test", "rk_tes"})
    void parseWhenOnlyPartOfARestrictedPrefixThenPrefixMalformation(String text) {
        assertThat(ApiKey.malformation(text)).contains(Malformation.PREFIX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rk_test_", "rk_live_"})
    void parseWhenRestrictedPrefixButShortThenLengthMalformation(String prefix) {
        assertThat(ApiKey.malformation(prefix + "abc")).contains(Malformation.LENGTH);
    }
}
