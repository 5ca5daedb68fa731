package dev.keygate.keyformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base62Test {

    /** Written out independently of {@link Base62#ALPHABET}. */
    private static final String EXPECTED_ALPHABET =
            "0123456789" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "abcdefghijklmnopqrstuvwxyz";

    @Test
    void alphabetIsDigitsThenUpperThenLowerCaseInValueOrder() {
        assertThat(Base62.ALPHABET).isEqualTo(EXPECTED_ALPHABET);
        assertThat(Base62.ALPHABET).hasSize(62);
        assertThat(Base62.ALPHABET.chars().distinct().count()).isEqualTo(62);
    }

    @Test
    void isDigitWhenCharInAlphabetThenTrue() {
        for (char c : EXPECTED_ALPHABET.toCharArray()) {
            assertThat(Base62.isDigit(c)).as("'%s'", c).isTrue();
        }
    }

    @Test
    void isDigitWhenAnyOtherCharThenFalse() {
        for (int i = Character.MIN_VALUE; i <= Character.MAX_VALUE; i++) {
            char c = (char) i;
            assertThat(Base62.isDigit(c))
                    .as("U+%04X", i)
                    .isEqualTo(EXPECTED_ALPHABET.indexOf(c) >= 0);
        }
    }

    @ParameterizedTest
    @ValueSource(chars = {' ', '-', '_', '+', '/', '=', '.', '~', '\0', '\n', '\t', 'é', 'ß', 'А', '٠', '０', 'Ａ', 'ａ', '\u00a0', '\uffff'})
    void isDigitWhenLookAlikeOrSymbolThenFalse(char c) {
        assertThat(Base62.isDigit(c)).isFalse();
    }

    /** Vectors computed with Python: base62 of the value, big-endian, left-padded with '0'. */
    @ParameterizedTest(name = "encode({0}, {1}) = {2}")
    @CsvSource({
        "0, 6, 000000",
        "1, 6, 000001",
        "9, 6, 000009",
        "10, 6, 00000A",
        "35, 6, 00000Z",
        "36, 6, 00000a",
        "61, 6, 00000z",
        "62, 6, 000010",
        "3843, 2, zz",
        "3844, 3, 100",
        "123456789, 6, 08M0kX",
        "4294967295, 6, 4gfFC3",
        "916132832, 6, 100000",
        "916132831, 6, 0zzzzz",
        "56800235583, 6, zzzzzz",
        "1, 1, 1",
        "10, 1, A",
        "35, 1, Z",
        "36, 1, a",
        "9223372036854775807, 11, AzL8n0Y58m7",
        "9223372036854775807, 12, 0AzL8n0Y58m7",
    })
    void encodeWhenValueFitsThenBigEndianLeftPaddedDigits(long value, int width, String expected) {
        assertThat(Base62.encode(value, width)).isEqualTo(expected);
    }

    @Test
    void encodeWhenEverySingleDigitThenThatAlphabetChar() {
        for (int v = 0; v < 62; v++) {
            assertThat(Base62.encode(v, 1)).isEqualTo(String.valueOf(EXPECTED_ALPHABET.charAt(v)));
        }
    }

    @Test
    void encodeWhenMaxCrc32ThenFitsInSixDigits() {
        assertThat(Base62.encode(0xFFFF_FFFFL, ApiKey.CHECKSUM_LENGTH))
                .hasSize(ApiKey.CHECKSUM_LENGTH)
                .isEqualTo("4gfFC3");
    }

    @ParameterizedTest(name = "encode({0}, {1}) overflows")
    @CsvSource({
        "56800235584, 6",
        "62, 1",
        "3844, 2",
        "9223372036854775807, 10",
        "9223372036854775807, 6",
    })
    void encodeWhenValueNeedsMoreDigitsThanWidthThenIllegalArgument(long value, int width) {
        assertThatThrownBy(() -> Base62.encode(value, width))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(width));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void encodeWhenWidthBelowOneThenIllegalArgument(int width) {
        assertThatThrownBy(() -> Base62.encode(0, width))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("width");
    }

    @ParameterizedTest
    @ValueSource(longs = {-1L, -62L, Integer.MIN_VALUE, Long.MIN_VALUE})
    void encodeWhenValueNegativeThenIllegalArgument(long value) {
        assertThatThrownBy(() -> Base62.encode(value, 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }

    @Test
    void encodeWhenRandomValuesThenIndependentDecodeRoundTrips() {
        SplittableRandom random = new SplittableRandom(62);
        for (int i = 0; i < 10_000; i++) {
            long value = random.nextLong(0, 1L << 32);
            String encoded = Base62.encode(value, 6);
            assertThat(encoded).hasSize(6);
            assertThat(decode(encoded)).isEqualTo(value);
        }
        for (int i = 0; i < 10_000; i++) {
            long value = random.nextLong(0, Long.MAX_VALUE);
            assertThat(decode(Base62.encode(value, 11))).isEqualTo(value);
        }
    }

    @Test
    void encodeWhenValuesIncreaseThenEncodingsSortInTheSameOrder() {
        // Fixed width and an alphabet in ASCII order: string order equals numeric order.
        String previous = Base62.encode(0, 6);
        for (long v = 1; v < 20_000; v += 7) {
            String current = Base62.encode(v, 6);
            assertThat(current).isGreaterThan(previous);
            previous = current;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 6, 32, 1000})
    void randomWhenLengthGivenThenThatManyAlphabetChars(int length) {
        String s = Base62.random(new SplittableRandom(length), length);
        assertThat(s).hasSize(length);
        assertThat(s.chars()).allMatch(c -> EXPECTED_ALPHABET.indexOf(c) >= 0);
    }

    @Test
    void randomWhenSameSeedThenSameString() {
        assertThat(Base62.random(new Random(42), 32)).isEqualTo(Base62.random(new Random(42), 32));
        assertThat(Base62.random(new SplittableRandom(42), 32))
                .isEqualTo(Base62.random(new SplittableRandom(42), 32));
    }

    @Test
    void randomWhenDifferentSeedsThenDifferentStrings() {
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 1000; seed++) {
            seen.add(Base62.random(new SplittableRandom(seed), 32));
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void randomWhenManyDrawsThenEveryDigitRoughlyEquallyOften() {
        int draws = 620_000;
        String s = Base62.random(new SplittableRandom(7), draws);
        Map<Character, Integer> counts = new HashMap<>();
        for (char c : s.toCharArray()) {
            counts.merge(c, 1, Integer::sum);
        }
        assertThat(counts).hasSize(62);
        // Expected 10,000 each; sigma is about 100, so +-6% is over 6 sigma.
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(9_400, 10_600));
        double chiSquare = 0;
        for (int n : counts.values()) {
            chiSquare += Math.pow(n - 10_000, 2) / 10_000.0;
        }
        // 61 degrees of freedom: p < 1e-6 at about 130.
        assertThat(chiSquare).isLessThan(130);
    }

    private static long decode(String digits) {
        long value = 0;
        for (char c : digits.toCharArray()) {
            int d = EXPECTED_ALPHABET.indexOf(c);
            assertThat(d).isNotNegative();
            value = value * 62 + d;
        }
        return value;
    }
}
