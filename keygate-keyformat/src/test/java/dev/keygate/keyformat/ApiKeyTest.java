package dev.keygate.keyformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyTest {

    /** Every (type, environment) pair with its expected prefix. */
    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of(KeyType.SECRET, Environment.TEST, "sk_test_"),
                Arguments.of(KeyType.SECRET, Environment.LIVE, "sk_live_"),
                Arguments.of(KeyType.PUBLIC, Environment.TEST, "pk_test_"),
                Arguments.of(KeyType.PUBLIC, Environment.LIVE, "pk_live_"),
                Arguments.of(KeyType.RESTRICTED, Environment.TEST, "rk_test_"),
                Arguments.of(KeyType.RESTRICTED, Environment.LIVE, "rk_live_"));
    }

    /**
     * Full keys computed outside Java, with Python 3: {@code zlib.crc32} of the ASCII bytes of
     * prefix + 32 characters, in base62 ({@code 0-9A-Za-z}), big-endian, left-padded to 6 with '0'.
     * Columns: key, type, environment, CRC32 as an unsigned decimal.
     */
    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("sk_test_00000000000000000000000000000000127lYz", KeyType.SECRET, Environment.TEST, 947536637L),
                Arguments.of("sk_test_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz2176iF", KeyType.SECRET, Environment.TEST, 1848736103L),
                Arguments.of("sk_live_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz44XL3S", KeyType.SECRET, Environment.LIVE, 3731582434L),
                Arguments.of("pk_test_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz1Fpsit", KeyType.PUBLIC, Environment.TEST, 1150142959L),
                Arguments.of("pk_test_000000000000000000000000000000000LJpC9", KeyType.PUBLIC, Environment.TEST, 315028085L),
                Arguments.of("pk_live_000000000000000000000000000000002ydDIO", KeyType.PUBLIC, Environment.LIVE, 2728191728L),
                Arguments.of("sk_test_0123456789ABCDEFGHIJKLMNOPQRSTUV3bN14w", KeyType.SECRET, Environment.TEST, 3300608622L),
                Arguments.of("sk_live_WXYZabcdefghijklmnopqrstuvwxyz014Vutxk", KeyType.SECRET, Environment.LIVE, 4136159236L),
                Arguments.of("pk_test_Kq7Zr2mT9xWbL4nHc8VdF3sJp6YgQa1E2pXhBD", KeyType.PUBLIC, Environment.TEST, 2593889611L),
                Arguments.of("pk_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3g4WZz", KeyType.PUBLIC, Environment.LIVE, 3370083159L),
                Arguments.of("rk_test_000000000000000000000000000000002lizUo", KeyType.RESTRICTED, Environment.TEST, 2537476282L),
                Arguments.of("rk_live_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz24Vt7F", KeyType.RESTRICTED, Environment.LIVE, 1898971045L),
                Arguments.of("rk_test_0123456789ABCDEFGHIJKLMNOPQRSTUV1ycfXN", KeyType.RESTRICTED, Environment.TEST, 1811929129L),
                Arguments.of("rk_live_Kq7Zr2mT9xWbL4nHc8VdF3sJp6YgQa1E3Cx4E5", KeyType.RESTRICTED, Environment.LIVE, 2939792129L));
    }

    /** A generator whose every draw is 0, so every random digit is '0'. */
    static final class ZeroRandom implements RandomGenerator {
        @Override
        public long nextLong() {
            return 0L;
        }
    }

    @Nested
    class Generation {

        @ParameterizedTest(name = "{0} {1}")
        @MethodSource("dev.keygate.keyformat.ApiKeyTest#pairs")
        void generateWhenTypeAndEnvironmentThenKeyStartsWithTheirPrefix(KeyType type, Environment environment, String prefix) {
            ApiKey key = ApiKey.generate(type, environment, new SplittableRandom(1));
            assertThat(key.reveal()).startsWith(prefix);
            assertThat(ApiKey.prefix(type, environment)).isEqualTo(prefix);
        }

        @ParameterizedTest(name = "{0} {1}")
        @MethodSource("dev.keygate.keyformat.ApiKeyTest#pairs")
        void generateWhenTypeAndEnvironmentThenKeyIs46AlphabetCharsAfterPrefix(KeyType type, Environment environment, String prefix) {
            SplittableRandom random = new SplittableRandom(2);
            for (int i = 0; i < 200; i++) {
                String text = ApiKey.generate(type, environment, random).reveal();
                assertThat(text).hasSize(46).hasSize(ApiKey.LENGTH);
                assertThat(text.substring(8).chars())
                        .allMatch(c -> IndependentChecksum.ALPHABET.indexOf(c) >= 0);
            }
        }

        @ParameterizedTest(name = "{0} {1}")
        @MethodSource("dev.keygate.keyformat.ApiKeyTest#pairs")
        void generateWhenTypeAndEnvironmentThenChecksumIsCrc32OfPrefixAndRandomPart(KeyType type, Environment environment, String prefix) {
            SplittableRandom random = new SplittableRandom(3);
            for (int i = 0; i < 200; i++) {
                String text = ApiKey.generate(type, environment, random).reveal();
                String body = text.substring(0, 40);
                String checksum = text.substring(40);
                assertThat(IndependentChecksum.decode(checksum)).isEqualTo(IndependentChecksum.crc32(body));
                assertThat(checksum).isEqualTo(IndependentChecksum.of(body));
                assertThat(ApiKey.checksum(body)).isEqualTo(checksum);
            }
        }

        @ParameterizedTest(name = "{0} {1}")
        @MethodSource("dev.keygate.keyformat.ApiKeyTest#pairs")
        void generateWhenParsedBackThenEqualKeyWithSameTypeAndEnvironment(KeyType type, Environment environment, String prefix) {
            Random random = new Random(4);
            for (int i = 0; i < 200; i++) {
                ApiKey key = ApiKey.generate(type, environment, random);
                assertThat(key.type()).isEqualTo(type);
                assertThat(key.environment()).isEqualTo(environment);
                assertThat(ApiKey.malformation(key.reveal())).isEmpty();

                ApiKey parsed = ApiKey.parse(key.reveal());
                assertThat(parsed).isEqualTo(key);
                assertThat(parsed.reveal()).isEqualTo(key.reveal());
                assertThat(parsed.type()).isEqualTo(type);
                assertThat(parsed.environment()).isEqualTo(environment);
                assertThat(ApiKey.tryParse(key.reveal())).contains(key);
            }
        }

        @ParameterizedTest(name = "{0} {1}")
        @MethodSource("dev.keygate.keyformat.ApiKeyTest#pairs")
        void generateWhenThousandKeysThenAllDistinctAndEveryDigitUsed(KeyType type, Environment environment, String prefix) {
            SplittableRandom random = new SplittableRandom(5);
            Set<String> keys = new HashSet<>();
            Set<String> randomParts = new HashSet<>();
            Set<ApiKey> parsed = new HashSet<>();
            Set<Integer> digitsUsed = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                ApiKey key = ApiKey.generate(type, environment, random);
                keys.add(key.reveal());
                randomParts.add(key.reveal().substring(8, 40));
                parsed.add(ApiKey.parse(key.reveal()));
                key.reveal().substring(8, 40).chars().forEach(digitsUsed::add);
            }
            assertThat(keys).hasSize(1000);
            assertThat(randomParts).hasSize(1000);
            assertThat(parsed).hasSize(1000);
            assertThat(digitsUsed).hasSize(62);
        }

        @Test
        void generateWhenSameSeedThenSameKeyAndWhenDifferentSeedThenDifferentKey() {
            ApiKey a = ApiKey.generate(KeyType.SECRET, Environment.LIVE, new SplittableRandom(99));
            ApiKey b = ApiKey.generate(KeyType.SECRET, Environment.LIVE, new SplittableRandom(99));
            ApiKey c = ApiKey.generate(KeyType.SECRET, Environment.LIVE, new SplittableRandom(100));
            assertThat(a).isEqualTo(b);
            assertThat(a.reveal()).isEqualTo(b.reveal());
            assertThat(a).isNotEqualTo(c);
        }

        @Test
        void generateWhenGeneratorAlwaysZeroThenMatchesIndependentAllZeroVectors() {
            assertThat(ApiKey.generate(KeyType.SECRET, Environment.TEST, new ZeroRandom()).reveal())
                    .isEqualTo("sk_test_00000000000000000000000000000000127lYz");
            assertThat(ApiKey.generate(KeyType.PUBLIC, Environment.TEST, new ZeroRandom()).reveal())
                    .isEqualTo("pk_test_000000000000000000000000000000000LJpC9");
            assertThat(ApiKey.generate(KeyType.PUBLIC, Environment.LIVE, new ZeroRandom()).reveal())
                    .isEqualTo("pk_live_000000000000000000000000000000002ydDIO");
            assertThat(ApiKey.generate(KeyType.RESTRICTED, Environment.TEST, new ZeroRandom()).reveal())
                    .isEqualTo("rk_test_000000000000000000000000000000002lizUo");
        }

        @Test
        void generateWhenSameRandomDrawsForDifferentPrefixesThenSameRandomPartButDifferentChecksums() {
            List<String> texts = new ArrayList<>();
            pairs().forEach(args -> texts.add(ApiKey.generate(
                    (KeyType) args.get()[0], (Environment) args.get()[1], new SplittableRandom(6)).reveal()));
            assertThat(texts.stream().map(t -> t.substring(8, 40)).distinct()).hasSize(1);
            assertThat(texts.stream().map(t -> t.substring(40)).distinct()).hasSize(6);
        }
    }

    @Nested
    class KnownVectors {

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.keygate.keyformat.ApiKeyTest#vectors")
        void parseWhenIndependentlyComputedKeyThenAccepted(String text, KeyType type, Environment environment, long crc) {
            ApiKey key = ApiKey.parse(text);
            assertThat(key.reveal()).isEqualTo(text);
            assertThat(key.type()).isEqualTo(type);
            assertThat(key.environment()).isEqualTo(environment);
            assertThat(ApiKey.tryParse(text)).contains(key);
            assertThat(ApiKey.malformation(text)).isEmpty();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.keygate.keyformat.ApiKeyTest#vectors")
        void checksumWhenIndependentlyComputedKeyThenEqualsItsLastSixChars(String text, KeyType type, Environment environment, long crc) {
            String body = text.substring(0, 40);
            assertThat(ApiKey.checksum(body)).isEqualTo(text.substring(40));
            assertThat(Base62.encode(crc, 6)).isEqualTo(text.substring(40));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.keygate.keyformat.ApiKeyTest#vectors")
        void testHelperWhenIndependentlyComputedKeyThenAgreesWithPython(String text, KeyType type, Environment environment, long crc) {
            String body = text.substring(0, 40);
            assertThat(IndependentChecksum.crc32(body)).isEqualTo(crc);
            assertThat(IndependentChecksum.of(body)).isEqualTo(text.substring(40));
            assertThat(IndependentChecksum.decode(text.substring(40))).isEqualTo(crc);
        }

        @Test
        void checksumWhenCrcHasHighBitSetThenStillSixDigitsAndPositive() {
            // 4136159236 > 2^31: a signed int mix-up would go negative or wrong.
            assertThat(ApiKey.checksum("sk_live_WXYZabcdefghijklmnopqrstuvwxyz01")).isEqualTo("4Vutxk");
        }

        @Test
        void checksumWhenCrcSmallThenLeftPaddedWithZero() {
            assertThat(ApiKey.checksum("pk_test_00000000000000000000000000000000")).isEqualTo("0LJpC9");
        }
    }

    @Nested
    class Masking {

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.keygate.keyformat.ApiKeyTest#vectors")
        void maskedWhenKeyThenPrefixDotsAndLastFourOnly(String text, KeyType type, Environment environment, long crc) {
            ApiKey key = ApiKey.parse(text);
            String expected = text.substring(0, 8) + "..." + text.substring(42);
            assertThat(key.masked()).isEqualTo(expected).hasSize(15);
            assertThat(key.toString()).isEqualTo(expected);
            assertThat(key.last4()).isEqualTo(text.substring(42)).hasSize(4);
            assertThat(ApiKey.mask(text)).isEqualTo(expected);
        }

        @Test
        void maskedWhenKnownKeyThenExactString() {
            ApiKey key = ApiKey.parse("sk_test_0123456789ABCDEFGHIJKLMNOPQRSTUV3bN14w");
            assertThat(key.masked()).isEqualTo("sk_test_...N14w");
            assertThat(key.toString()).isEqualTo("sk_test_...N14w");
            assertThat(key.last4()).isEqualTo("N14w");
            assertThat(ApiKey.parse("pk_live_000000000000000000000000000000002ydDIO").masked())
                    .isEqualTo("pk_live_...dDIO");
        }

        @ParameterizedTest(name = "{0} {1}")
        @MethodSource("dev.keygate.keyformat.ApiKeyTest#pairs")
        void maskedAndToStringWhenGeneratedThenNeverContainRandomPart(KeyType type, Environment environment, String prefix) {
            SplittableRandom random = new SplittableRandom(8);
            for (int i = 0; i < 500; i++) {
                ApiKey key = ApiKey.generate(type, environment, random);
                String text = key.reveal();
                String randomPart = text.substring(8, 40);
                for (String shown : List.of(key.masked(), key.toString(), String.valueOf(key), "" + key,
                        String.format("%s", key), List.of(key).toString())) {
                    assertThat(shown).doesNotContain(randomPart).doesNotContain(text);
                    // Nothing from the random part at all: what follows the prefix is "..." and checksum chars.
                    assertThat(shown).contains(prefix + "..." + text.substring(42));
                }
                assertThat(key.masked()).isEqualTo(prefix + "..." + text.substring(42));
                assertThat(key.last4()).isEqualTo(text.substring(42));
            }
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"s", "sk_test", "sk_test_", "sk_test_a", "sk_test_abc", "abcdefghijk", "           "})
        void maskWhenNullOrShorterThanPrefixAndFourThenDotsOnly(String text) {
            assertThat(ApiKey.mask(text)).isEqualTo("...");
        }

        @ParameterizedTest(name = "mask({0}) = {1}")
        @CsvSource({
            // A key's prefix and length, checksum wrong: still masked, so a typo can be named.
            "sk_test_0000000000000000000000000000000000127l, sk_test_...127l",
            "pk_live_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz, pk_live_...zzzz",
            // Anything else is never half shown.
            "sk_test_abcd, ...",
            "sk_test_abcde, ...",
            "xk_prod_0123456789, ...",
            "sk_test_00000000000000000000000000000000127lYz!, ...",
            "xk_test_0000000000000000000000000000000000127l, ...",
        })
        void maskWhenKeyShapedThenPrefixDotsLastFourElseDotsOnly(String text, String expected) {
            assertThat(ApiKey.mask(text)).isEqualTo(expected);
        }
    }

    @Nested
    class Equality {

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.keygate.keyformat.ApiKeyTest#vectors")
        void equalsWhenSameTextParsedTwiceThenEqualWithSameHashCode(String text, KeyType type, Environment environment, long crc) {
            ApiKey a = ApiKey.parse(text);
            ApiKey b = ApiKey.parse(new String(text.toCharArray()));
            assertThat(a).isNotSameAs(b);
            assertThat(a).isEqualTo(b);
            assertThat(b).isEqualTo(a);
            assertThat(a).isEqualTo(a);
            assertThat(a.hashCode()).isEqualTo(b.hashCode());
            assertThat(a.hashCode()).isEqualTo(a.hashCode());
        }

        @Test
        void equalsWhenDifferentKeysThenNotEqual() {
            List<ApiKey> keys = new ArrayList<>();
            vectors().forEach(args -> keys.add(ApiKey.parse((String) args.get()[0])));
            for (int i = 0; i < keys.size(); i++) {
                for (int j = 0; j < keys.size(); j++) {
                    if (i != j) {
                        assertThat(keys.get(i)).isNotEqualTo(keys.get(j));
                    }
                }
            }
            assertThat(new HashSet<>(keys)).hasSize(keys.size());
        }

        @Test
        void equalsWhenSameRandomPartButDifferentPrefixThenNotEqual() {
            ApiKey secret = ApiKey.generate(KeyType.SECRET, Environment.TEST, new SplittableRandom(11));
            ApiKey publishable = ApiKey.generate(KeyType.PUBLIC, Environment.TEST, new SplittableRandom(11));
            ApiKey live = ApiKey.generate(KeyType.SECRET, Environment.LIVE, new SplittableRandom(11));
            ApiKey restricted = ApiKey.generate(KeyType.RESTRICTED, Environment.TEST, new SplittableRandom(11));
            assertThat(secret).isNotEqualTo(publishable).isNotEqualTo(live).isNotEqualTo(restricted);
            assertThat(publishable).isNotEqualTo(live).isNotEqualTo(restricted);
        }

        @Test
        void equalsWhenNullOrOtherTypeThenFalse() {
            ApiKey key = ApiKey.parse("sk_test_0123456789ABCDEFGHIJKLMNOPQRSTUV3bN14w");
            assertThat(key.equals(null)).isFalse();
            assertThat(key.equals("sk_test_0123456789ABCDEFGHIJKLMNOPQRSTUV3bN14w")).isFalse();
            assertThat(key.equals(key.bytes())).isFalse();
        }

        @Test
        void hashSetWhenSameKeyAddedTwiceThenOneElement() {
            Set<ApiKey> set = new HashSet<>();
            set.add(ApiKey.parse("pk_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3g4WZz"));
            set.add(ApiKey.parse("pk_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3g4WZz"));
            assertThat(set).hasSize(1);
            assertThat(set).contains(ApiKey.parse("pk_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3g4WZz"));
        }

        @Test
        void bytesWhenKeyThenAsciiOfWholeKeyAndAFreshCopy() {
            String text = "sk_live_WXYZabcdefghijklmnopqrstuvwxyz014Vutxk";
            ApiKey key = ApiKey.parse(text);
            byte[] bytes = key.bytes();
            assertThat(bytes).hasSize(46).isEqualTo(text.getBytes(StandardCharsets.US_ASCII));
            bytes[0] = 'x';
            assertThat(key.bytes()).isEqualTo(text.getBytes(StandardCharsets.US_ASCII));
            assertThat(key.reveal()).isEqualTo(text);
            assertThat(key).isEqualTo(ApiKey.parse(text));
        }
    }

    @Nested
    class Constants {

        @Test
        void lengthsWhenReadThenMatchSpec() {
            assertThat(ApiKey.LENGTH).isEqualTo(46);
            assertThat(ApiKey.RANDOM_LENGTH).isEqualTo(32);
            assertThat(ApiKey.CHECKSUM_LENGTH).isEqualTo(6);
            assertThat(ApiKey.PREFIX_LENGTH).isEqualTo(8);
        }

        @Test
        void generateWhenNullArgumentsThenThrows() {
            assertThatThrownBy(() -> ApiKey.generate(null, Environment.TEST, new SplittableRandom(1)))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ApiKey.generate(KeyType.SECRET, null, new SplittableRandom(1)))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ApiKey.generate(KeyType.SECRET, Environment.TEST, null))
                    .isInstanceOf(NullPointerException.class);
        }
    }
}
