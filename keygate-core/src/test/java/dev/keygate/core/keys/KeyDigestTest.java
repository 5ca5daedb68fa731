package dev.keygate.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyDigestTest {

    private static final SplittableRandom RANDOM = new SplittableRandom(8);

    @Test
    void ofWhenKeyThenItsSha256InEveryForm() throws Exception {
        ApiKey key = ApiKey.generate(KeyType.SECRET, Environment.TEST, RANDOM);
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(key.reveal().getBytes(StandardCharsets.US_ASCII));

        KeyDigest digest = KeyDigest.of(key);

        assertThat(digest.toBytes()).isEqualTo(sha256);
        assertThat(digest.toHex()).isEqualTo(HexFormat.of().formatHex(sha256));
        assertThat(digest).isEqualTo(KeyDigest.of(ApiKey.parse(key.reveal())))
                .isEqualTo(KeyDigest.fromBytes(sha256))
                .isEqualTo(KeyDigest.fromHex(digest.toHex()))
                .hasSameHashCodeAs(KeyDigest.fromBytes(sha256));
        assertThat(digest.hashCode()).as("the first four bytes, big-endian")
                .isEqualTo((sha256[0] & 0xff) << 24 | (sha256[1] & 0xff) << 16 | (sha256[2] & 0xff) << 8
                        | (sha256[3] & 0xff));
        assertThat(digest.toString()).doesNotContain(digest.toHex().substring(0, 8));
    }

    @ParameterizedTest(name = "[{index}] byte {0}")
    @ValueSource(ints = {0, 7, 8, 15, 16, 23, 24, 31})
    void equalsWhenOneByteDiffersThenNotEqual(int index) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        byte[] other = bytes.clone();
        other[index] ^= 1;

        assertThat(KeyDigest.fromBytes(other)).isNotEqualTo(KeyDigest.fromBytes(bytes));
        assertThat(KeyDigest.fromBytes(other).toBytes()).isEqualTo(other);
    }

    @Test
    void fromBytesWhenArrayChangedAfterwardsThenDigestUnchanged() {
        byte[] bytes = new byte[32];
        KeyDigest digest = KeyDigest.fromBytes(bytes);
        bytes[0] = 1;
        digest.toBytes()[1] = 1;

        assertThat(digest.toBytes()).containsOnly(0);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 33, 64})
    void fromBytesWhenNot32BytesThenRefused(int length) {
        assertThatThrownBy(() -> KeyDigest.fromBytes(new byte[length])).isInstanceOf(IllegalArgumentException.class);
    }
}
