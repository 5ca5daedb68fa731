package dev.keygate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ServerSecretTest {

    private static final byte[] BYTES = new byte[ServerSecret.LENGTH];

    static {
        for (int i = 0; i < BYTES.length; i++) {
            BYTES[i] = (byte) i;
        }
    }

    private final ServerSecret secret = new ServerSecret(BYTES, new SecureRandom());

    @Test
    void hmacHexThenKeyedByPurposeAsDocumented() {
        // HMAC-SHA256(HMAC-SHA256(secret, "keygate rotation code"), message), computed independently.
        assertThat(secret.hmacHex("rotation code", "rot_0123456789abcdef:042137"))
                .isEqualTo("f54ce7104174cc8a73df21035fe265eaaab9771d2dcaf370676f6db69556c3f6");
    }

    @Test
    void hmacHexWhenPurposeOrSecretDiffersThenDiffers() {
        String digest = secret.hmacHex("rotation code", "rot_1:123456");

        assertThat(secret.hmacHex("csrf", "rot_1:123456")).isNotEqualTo(digest);
        assertThat(ServerSecret.generate(new SecureRandom()).hmacHex("rotation code", "rot_1:123456"))
                .isNotEqualTo(digest);
    }

    @Test
    void sealThenOpenGivesTheTextAndTheSealedFormNeverContainsIt() {
        String sealed = secret.seal("outbox", "Your code:\n\n    042137\n");

        assertThat(sealed).doesNotContain("042137").startsWith("v1.");
        assertThat(ServerSecret.isSealed(sealed)).isTrue();
        assertThat(secret.open("outbox", sealed)).isEqualTo("Your code:\n\n    042137\n");
        assertThat(secret.seal("outbox", "Your code:\n\n    042137\n")).as("a fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void openWhenOtherSecretOrPurposeOrAlteredThenRefused() {
        String sealed = secret.seal("outbox", "042137");
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(3));
        bytes[bytes.length - 1] ^= 1;
        String altered = "v1." + Base64.getEncoder().encodeToString(bytes);

        assertThatThrownBy(() -> ServerSecret.generate(new SecureRandom()).open("outbox", sealed))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> secret.open("csrf", sealed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> secret.open("outbox", altered)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> secret.open("outbox", "v1.!!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> secret.open("outbox", "plain text")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringThenOnlyTheFingerprintNeverTheSecret() {
        assertThat(secret.toString()).contains(secret.fingerprint())
                .doesNotContain(HexFormat.of().formatHex(BYTES).substring(0, 16))
                .doesNotContain(Base64.getEncoder().encodeToString(BYTES).substring(0, 16));
    }

    @Test
    void constructWhenNot32BytesThenRefused() {
        assertThatThrownBy(() -> new ServerSecret(new byte[16], new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32");
    }
}
