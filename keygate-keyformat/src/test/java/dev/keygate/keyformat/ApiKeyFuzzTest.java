package dev.keygate.keyformat;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Fuzz tests of the key format (SPEC section 2). In a normal build each runs once per committed
 * input under {@code src/test/resources/dev/keygate/keyformat/ApiKeyFuzzTestInputs/<method>/};
 * with {@code JAZZER_FUZZ=1} it fuzzes (see README, "Fuzz tests").
 */
class ApiKeyFuzzTest {

    /** Any text: parsing gives a key that is exactly that text, or a malformation, and nothing else. */
    @FuzzTest(maxDuration = "5m")
    void parseWhenAnyTextThenKeyOrMalformedApiKeyException(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Optional<Malformation> malformation = ApiKey.malformation(text);
        ApiKey key;
        try {
            key = ApiKey.parse(text);
        } catch (MalformedApiKeyException e) {
            assertThat(malformation).isPresent();
            assertThat(ApiKey.tryParse(text)).isEmpty();
            if (text.length() >= 12) {
                assertThat(e.getMessage()).as("never echoes the text").doesNotContain(text.substring(8));
            }
            return;
        }
        assertThat(malformation).isEmpty();
        assertThat(key.reveal()).isEqualTo(text).hasSize(ApiKey.LENGTH);
        assertThat(ApiKey.tryParse(text)).contains(key);
        assertThat(key.toString()).doesNotContain(text.substring(8, 40));
        assertThat(ApiKey.prefix(key.type(), key.environment())).isEqualTo(text.substring(0, 8));
    }

    /** A real key with one character replaced: the checksum catches every such typo. */
    @FuzzTest(maxDuration = "5m")
    void parseWhenOneCharacterOfAKeyChangedThenMalformed(FuzzedDataProvider data) {
        KeyType type = data.pickValue(KeyType.values());
        Environment environment = data.pickValue(Environment.values());
        ApiKey key = ApiKey.generate(type, environment, new SplittableRandom(data.consumeLong()));
        String text = key.reveal();
        int at = data.consumeInt(0, text.length() - 1);
        char replacement = data.consumeChar();

        String changed = text.substring(0, at) + replacement + text.substring(at + 1);

        assertThat(ApiKey.parse(text)).isEqualTo(key);
        if (replacement != text.charAt(at)) {
            assertThat(ApiKey.malformation(changed)).as("%s at %d", (int) replacement, at).isPresent();
            assertThat(ApiKey.tryParse(changed)).isEmpty();
        }
    }
}
