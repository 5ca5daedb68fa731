package dev.keygate.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.password4j.Argon2Function;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Argon2HasherTest {

    private static final String PASSWORD = "correct horse battery staple";

    private final Argon2Hasher hasher = new Argon2Hasher();
    private final SecureRandom random = new SecureRandom();

    @Test
    void hashMatchesItsPasswordOnly() {
        String hash = hasher.hash(PASSWORD);

        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.matches(PASSWORD, hash)).isTrue();
        assertThat(hasher.matches(PASSWORD + " ", hash)).isFalse();
        assertThat(hasher.matches("", hash)).isFalse();
    }

    @Test
    void decoyHashIsCheckedWithTheSameArgon2idWorkAsARealOne() {
        String real = hasher.hash(PASSWORD);
        String decoy = hasher.decoyHash(random);

        assertThat(Argon2Function.getInstanceFromHash(decoy)).isEqualTo(Argon2Function.getInstanceFromHash(real));
        assertThat(parts(decoy)).hasSameSizeAs(parts(real));
        assertThat(salt(decoy)).hasSameSizeAs(salt(real));
        assertThat(hashBytes(decoy)).hasSameSizeAs(hashBytes(real));
    }

    @Test
    void decoyHashMatchesNoPasswordAndIsNewEachTime() {
        String decoy = hasher.decoyHash(random);

        assertThat(hasher.matches(PASSWORD, decoy)).isFalse();
        assertThat(hasher.matches("", decoy)).isFalse();
        assertThat(hasher.decoyHash(random)).isNotEqualTo(decoy);
    }

    @Test
    void matchesWhenHashMalformedThenFalse() {
        assertThat(hasher.matches(PASSWORD, "not a hash")).isFalse();
        assertThat(hasher.matches(PASSWORD, "$argon2id$v=19$m=19456,t=2,p=1$$")).isFalse();
    }

    private static String[] parts(String phc) {
        return phc.split("\\$");
    }

    private static byte[] salt(String phc) {
        return Base64.getDecoder().decode(parts(phc)[4]);
    }

    private static byte[] hashBytes(String phc) {
        return Base64.getDecoder().decode(parts(phc)[5]);
    }
}
