package dev.keygate.keyformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyMalformationTest {

    /** Independently computed (Python zlib.crc32) valid keys, one per prefix. */
    static final List<String> VALID = List.of(
            "sk_test_0123456789ABCDEFGHIJKLMNOPQRSTUV3bN14w",
            "sk_live_WXYZabcdefghijklmnopqrstuvwxyz014Vutxk",
            "pk_test_Kq7Zr2mT9xWbL4nHc8VdF3sJp6YgQa1E2pXhBD",
            "pk_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3g4WZz");

    static final String KEY = VALID.get(0);
    static final String RANDOM_PART = KEY.substring(8, 40);

    /**
     * Asserts that {@code text} is rejected as {@code expected} by all three entry points, and that
     * the exception says nothing of the text.
     */
    static void assertMalformed(String text, Malformation expected) {
        assertThat(ApiKey.malformation(text)).as("malformation").contains(expected);
        assertThat(ApiKey.tryParse(text)).as("tryParse").isEmpty();
        assertThatThrownBy(() -> ApiKey.parse(text))
                .isInstanceOfSatisfying(MalformedApiKeyException.class, e -> {
                    assertThat(e.malformation()).isEqualTo(expected);
                    assertThat(e).isInstanceOf(IllegalArgumentException.class).hasNoCause();
                    assertThat(e.getMessage()).isEqualTo("Malformed API key: " + expected.explanation() + ".");
                    assertDoesNotEcho(e.getMessage(), text);
                    assertDoesNotEcho(e.toString(), text);
                    assertDoesNotEcho(e.getLocalizedMessage(), text);
                });
    }

    /** No run of 10 characters of {@code text} (so neither the text nor its random part) is in {@code message}. */
    static void assertDoesNotEcho(String message, String text) {
        if (text == null) {
            return;
        }
        if (text.length() >= 10) {
            assertThat(message).doesNotContain(text);
        }
        if (text.length() > 8) {
            String randomPart = text.substring(8, Math.min(40, text.length()));
            if (randomPart.length() >= 4) {
                assertThat(message).doesNotContain(randomPart);
            }
        }
        for (int i = 0; i + 10 <= text.length(); i++) {
            assertThat(message).doesNotContain(text.substring(i, i + 10));
        }
    }

    static String replaceAt(String text, int index, char c) {
        return text.substring(0, index) + c + text.substring(index + 1);
    }

    @Test
    void validKeysWhenCheckedThenNoMalformation() {
        for (String text : VALID) {
            assertThat(ApiKey.malformation(text)).isEmpty();
            assertThat(ApiKey.tryParse(text)).isPresent();
            assertThat(ApiKey.parse(text).reveal()).isEqualTo(text);
        }
    }

    // ---------------------------------------------------------------- prefix

    @Test
    void parseWhenNullThenPrefixMalformation() {
        assertMalformed(null, Malformation.PREFIX);
    }

    @Test
    void parseWhenEmptyThenPrefixMalformation() {
        assertMalformed("", Malformation.PREFIX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"s", "sk", "sk_", "sk_t", "sk_tes", "sk_test", "pk_live", " ", "       ", "0123456"})
    void parseWhenShorterThanPrefixThenPrefixMalformation(String text) {
        assertMalformed(text, Malformation.PREFIX);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "xk_test_", "sk_prod_", "SK_TEST_", "Sk_test_", "sK_test_", "sk_TEST_", "sk_Test_", "PK_LIVE_",
        "sk-test-", "sk-test_", "sk_test-", "sk.test.", "sk_tst__", "sk__test", "sktest__", "_sk_test",
        "ak_test_", "rk_prod_", "pk_prod_", "RK_TEST_", "Rk_live_", "rk-test_", "rK_live_", "tk_test_", "qk_live_", "sk_dev__", "sk_lve__", "sk_liv3_", "sk_tes7_", "s k_test",
        "sk_test ", " sk_test", "\0sk_test", "ѕk_test_", "sk_tеst_", "ｓｋ_test_",
    })
    void parseWhenWrongPrefixOnOtherwiseValidKeyThenPrefixMalformation(String prefix) {
        assertThat(prefix).hasSize(8);
        // The checksum is recomputed for the wrong prefix: the prefix is the only defect.
        String text = IndependentChecksum.sealed(prefix + RANDOM_PART);
        assertThat(text).hasSize(46);
        assertMalformed(text, Malformation.PREFIX);
        // Also with the original, unmatched checksum.
        assertMalformed(prefix + KEY.substring(8), Malformation.PREFIX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xk_test_", "sk_prod_", "SK_TEST_", "sk-test-", "sk_test", "sk_"})
    void parseWhenWrongPrefixAndWrongLengthThenPrefixReportedFirst(String prefix) {
        assertMalformed(prefix + RANDOM_PART, Malformation.PREFIX);
        assertMalformed(prefix + RANDOM_PART + "3bN14w" + "extra", Malformation.PREFIX);
        assertMalformed(prefix + "-- not base62 at all, and far too long --", Malformation.PREFIX);
    }

    @Test
    void parseWhenKeyHasLeadingWhitespaceOrQuoteThenPrefixMalformation() {
        assertMalformed(" " + KEY, Malformation.PREFIX);
        assertMalformed("\t" + KEY, Malformation.PREFIX);
        assertMalformed("\"" + KEY + "\"", Malformation.PREFIX);
        assertMalformed("Bearer " + KEY, Malformation.PREFIX);
    }

    @Test
    void parseWhenPrefixMissingThenPrefixMalformation() {
        assertMalformed(KEY.substring(8), Malformation.PREFIX);
    }

    @Test
    void parseWhenPrefixOnlyThenLengthMalformation() {
        for (String prefix : List.of("sk_test_", "sk_live_", "pk_test_", "pk_live_")) {
            // "sk_test_" (8 chars) has a valid prefix; what is wrong is its length.
            assertThat(ApiKey.malformation(prefix)).contains(Malformation.LENGTH);
            assertThat(ApiKey.tryParse(prefix)).isEmpty();
            assertThatThrownBy(() -> ApiKey.parse(prefix))
                    .isInstanceOfSatisfying(MalformedApiKeyException.class,
                            e -> assertThat(e.malformation()).isEqualTo(Malformation.LENGTH));
        }
    }

    @Test
    void parseWhenPrefixSwappedOnValidKeyThenChecksumMalformation() {
        // The checksum covers the prefix: a valid test key relabelled live is caught.
        for (String text : VALID) {
            for (String prefix : List.of("sk_test_", "sk_live_", "pk_test_", "pk_live_")) {
                if (!text.startsWith(prefix)) {
                    assertMalformed(prefix + text.substring(8), Malformation.CHECKSUM);
                }
            }
        }
    }

    // ---------------------------------------------------------------- length

    @Test
    void parseWhen45CharsWithValidPrefixThenLengthMalformation() {
        for (String text : VALID) {
            assertMalformed(text.substring(0, 45), Malformation.LENGTH);
            assertMalformed(text.substring(0, 8) + text.substring(9), Malformation.LENGTH);
        }
        // 31 random chars with a checksum that matches them: only the length is wrong.
        String sealed = IndependentChecksum.sealed("sk_test_" + RANDOM_PART.substring(1));
        assertThat(sealed).hasSize(45);
        assertMalformed(sealed, Malformation.LENGTH);
    }

    @Test
    void parseWhen47CharsWithValidPrefixThenLengthMalformation() {
        for (String text : VALID) {
            assertMalformed(text + "a", Malformation.LENGTH);
            assertMalformed(text + "0", Malformation.LENGTH);
            assertMalformed(text.substring(0, 8) + "Z" + text.substring(8), Malformation.LENGTH);
        }
        // 33 random chars with a checksum that matches them: only the length is wrong.
        String sealed = IndependentChecksum.sealed("sk_test_" + RANDOM_PART + "Q");
        assertThat(sealed).hasSize(47);
        assertMalformed(sealed, Malformation.LENGTH);
    }

    @Test
    void parseWhenTrailingWhitespaceThenLengthMalformation() {
        assertMalformed(KEY + "\n", Malformation.LENGTH);
        assertMalformed(KEY + "\r\n", Malformation.LENGTH);
        assertMalformed(KEY + " ", Malformation.LENGTH);
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 10, 20, 39, 40, 41, 44, 48, 60, 92, 1000})
    void parseWhenOtherLengthsWithValidPrefixThenLengthMalformation(int length) {
        StringBuilder text = new StringBuilder("pk_live_");
        SplittableRandom random = new SplittableRandom(length);
        while (text.length() < length) {
            text.append(IndependentChecksum.ALPHABET.charAt(random.nextInt(62)));
        }
        assertMalformed(text.toString(), Malformation.LENGTH);
    }

    @Test
    void parseWhenWrongLengthAndBadAlphabetThenLengthReportedFirst() {
        assertMalformed("sk_test_" + "!".repeat(37), Malformation.LENGTH);
        assertMalformed("sk_test_" + "é".repeat(39), Malformation.LENGTH);
    }

    // ---------------------------------------------------------------- alphabet

    static Stream<Arguments> badCharsAtPositions() {
        char[] bad = {' ', '-', '_', '+', '/', '=', 'é', '\0', '.', '!', '~', '\n', '\t', '\u00a0',
            'А', '٠', '０', 'ß', '\uffff', '\ud83d'};
        // first, middle and last of the random part; first and last of the checksum
        int[] positions = {8, 23, 24, 39, 40, 45};
        List<Arguments> args = new ArrayList<>();
        for (char c : bad) {
            for (int position : positions) {
                args.add(Arguments.of(String.format("U+%04X", (int) c), c, position));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} at {2}")
    @MethodSource("badCharsAtPositions")
    void parseWhenNonAlphabetCharInBodyThenAlphabetMalformation(String name, char c, int position) {
        for (String text : VALID) {
            String bad = replaceAt(text, position, c);
            assertThat(bad).hasSize(46);
            assertMalformed(bad, Malformation.ALPHABET);
        }
        if (position < 40) {
            // Re-sealed so that the checksum would match the ASCII bytes (non-ASCII read as '?'):
            // only the alphabet check can reject it.
            String body = replaceAt(KEY.substring(0, 40), position, c);
            assertMalformed(IndependentChecksum.sealed(body), Malformation.ALPHABET);
        }
    }

    @Test
    void parseWhenSupplementaryCharReplacesTwoBodyCharsThenAlphabetMalformation() {
        String emoji = "\ud83d\ude00";
        for (int position : new int[] {8, 24, 38, 40, 44}) {
            String bad = KEY.substring(0, position) + emoji + KEY.substring(position + 2);
            assertThat(bad).hasSize(46);
            assertMalformed(bad, Malformation.ALPHABET);
        }
    }

    @Test
    void parseWhenEveryNonAlphabetAsciiCharAtEveryBodyPositionThenAlphabetMalformation() {
        for (char c = 0; c < 128; c++) {
            if (IndependentChecksum.ALPHABET.indexOf(c) >= 0) {
                continue;
            }
            for (int position = 8; position < 46; position++) {
                String bad = replaceAt(KEY, position, c);
                assertThat(ApiKey.malformation(bad)).as("U+%04X at %d", (int) c, position)
                        .contains(Malformation.ALPHABET);
                assertThat(ApiKey.tryParse(bad)).isEmpty();
            }
        }
    }

    @Test
    void parseWhenBodyAllNonAlphabetThenAlphabetMalformation() {
        assertMalformed("sk_test_" + "-".repeat(38), Malformation.ALPHABET);
        assertMalformed("pk_live_" + " ".repeat(38), Malformation.ALPHABET);
        assertMalformed("sk_live_" + "=".repeat(38), Malformation.ALPHABET);
    }

    @Test
    void parseWhenBase64LikeBodyThenAlphabetMalformation() {
        String text = "sk_test_" + "AbCd+/EfGh_-IjKl==MnOp0123456789QRSTuv";
        assertThat(text).hasSize(46);
        assertMalformed(text, Malformation.ALPHABET);
    }

    // ---------------------------------------------------------------- checksum

    @ParameterizedTest(name = "checksum char {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void parseWhenChecksumWrongByOneCharThenChecksumMalformation(int checksumIndex) {
        int position = 40 + checksumIndex;
        for (String text : VALID) {
            char original = text.charAt(position);
            for (char c : IndependentChecksum.ALPHABET.toCharArray()) {
                if (c != original) {
                    assertMalformed(replaceAt(text, position, c), Malformation.CHECKSUM);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.keygate.keyformat.ApiKeyTest#pairs")
    void parseWhenOneRandomCharChangedThenChecksumMalformation(KeyType type, Environment environment, String prefix) {
        // CRC32 detects every single-byte error: every substitution at every position is caught.
        String text = ApiKey.generate(type, environment, new SplittableRandom(21)).reveal();
        for (int position = 8; position < 40; position++) {
            char original = text.charAt(position);
            for (char c : IndependentChecksum.ALPHABET.toCharArray()) {
                if (c != original) {
                    String changed = replaceAt(text, position, c);
                    assertThat(ApiKey.malformation(changed)).as("%s at %d", c, position)
                            .contains(Malformation.CHECKSUM);
                    assertThat(ApiKey.tryParse(changed)).isEmpty();
                }
            }
        }
    }

    @Test
    void parseWhenOneRandomCharChangedInKnownKeyThenChecksumMalformationWithSafeMessage() {
        for (String text : VALID) {
            for (int position : new int[] {8, 9, 23, 24, 38, 39}) {
                char c = text.charAt(position) == 'z' ? 'y' : 'z';
                assertMalformed(replaceAt(text, position, c), Malformation.CHECKSUM);
            }
        }
    }

    @Test
    void parseWhenCaseOfOneRandomCharFlippedThenChecksumMalformation() {
        for (String text : VALID) {
            for (int position = 8; position < 40; position++) {
                char c = text.charAt(position);
                char flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
                if (flipped != c) {
                    assertMalformed(replaceAt(text, position, flipped), Malformation.CHECKSUM);
                }
            }
        }
    }

    @Test
    void parseWhenAdjacentCharsTransposedThenChecksumMalformation() {
        for (String text : VALID) {
            for (int i = 8; i < 45; i++) {
                if (text.charAt(i) != text.charAt(i + 1)) {
                    String swapped = text.substring(0, i) + text.charAt(i + 1) + text.charAt(i) + text.substring(i + 2);
                    assertMalformed(swapped, Malformation.CHECKSUM);
                }
            }
        }
    }

    @Test
    void parseWhenTwoRandomCharsChangedThenChecksumMalformation() {
        SplittableRandom random = new SplittableRandom(31);
        String text = ApiKey.generate(KeyType.SECRET, Environment.LIVE, random).reveal();
        for (int trial = 0; trial < 20_000; trial++) {
            int i = random.nextInt(8, 40);
            int j = random.nextInt(8, 40);
            if (i == j) {
                continue;
            }
            char a = IndependentChecksum.ALPHABET.charAt(random.nextInt(62));
            char b = IndependentChecksum.ALPHABET.charAt(random.nextInt(62));
            if (a == text.charAt(i) || b == text.charAt(j)) {
                continue;
            }
            String changed = replaceAt(replaceAt(text, i, a), j, b);
            assertThat(ApiKey.malformation(changed)).contains(Malformation.CHECKSUM);
        }
    }

    @Test
    void parseWhenChecksumFromAnotherKeyThenChecksumMalformation() {
        for (String a : VALID) {
            for (String b : VALID) {
                if (!a.equals(b)) {
                    assertMalformed(a.substring(0, 40) + b.substring(40), Malformation.CHECKSUM);
                }
            }
        }
    }

    @Test
    void parseWhenChecksumAllZerosOrAllZThenChecksumMalformation() {
        assertMalformed(KEY.substring(0, 40) + "000000", Malformation.CHECKSUM);
        assertMalformed(KEY.substring(0, 40) + "zzzzzz", Malformation.CHECKSUM);
    }

    @Test
    void parseWhenChecksumCaseFlippedThenChecksumMalformation() {
        String text = "pk_test_Kq7Zr2mT9xWbL4nHc8VdF3sJp6YgQa1E2pXhBD";
        assertMalformed(text.substring(0, 40) + "2PxHbd", Malformation.CHECKSUM);
    }

    // ---------------------------------------------------------------- exception and explanations

    @ParameterizedTest
    @EnumSource(Malformation.class)
    void malformedApiKeyExceptionWhenBuiltThenCarriesMalformationAndItsExplanation(Malformation malformation) {
        MalformedApiKeyException e = new MalformedApiKeyException(malformation);
        assertThat(e.malformation()).isEqualTo(malformation);
        assertThat(e.getMessage()).isEqualTo("Malformed API key: " + malformation.explanation() + ".");
        assertThat(malformation.explanation()).isNotBlank();
    }

    @Test
    void explanationsWhenReadThenDistinctAndNameWhatIsWrong() {
        assertThat(Malformation.PREFIX.explanation()).contains("sk_test_", "sk_live_", "pk_test_", "pk_live_", "rk_test_", "rk_live_");
        assertThat(Malformation.LENGTH.explanation()).contains("46");
        assertThat(Malformation.ALPHABET.explanation()).contains("0-9", "A-Z", "a-z");
        assertThat(Malformation.CHECKSUM.explanation()).contains("checksum");
        assertThat(Stream.of(Malformation.values()).map(Malformation::explanation).distinct()).hasSize(4);
    }

    @Test
    void parseWhenAnyMalformationOfRealLookingKeyThenMessageNeverContainsKeyMaterial() {
        String text = ApiKey.generate(KeyType.SECRET, Environment.LIVE, new SplittableRandom(77)).reveal();
        List<String> inputs = List.of(
                "xk" + text.substring(2),
                text.substring(0, 45),
                text + "x",
                replaceAt(text, 20, '-'),
                replaceAt(text, 20, text.charAt(20) == 'a' ? 'b' : 'a'));
        for (String input : inputs) {
            Throwable thrown = null;
            try {
                ApiKey.parse(input);
            } catch (MalformedApiKeyException e) {
                thrown = e;
            }
            assertThat(thrown).isNotNull();
            assertThat(thrown.getMessage())
                    .doesNotContain(text.substring(8, 40))
                    .doesNotContain(text.substring(8, 16))
                    .doesNotContain(text.substring(30, 40))
                    .doesNotContain(text.substring(40));
        }
    }
}
