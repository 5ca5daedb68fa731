package dev.keygate.core.accounts;

import dev.keygate.keyformat.Base62;
import java.util.random.RandomGenerator;

/** Hashes and checks account passwords (Argon2id in the server). Slow by design: call off the event loop. */
public interface PasswordHasher {

    String hash(String password);

    /** Constant-time with respect to the password. */
    boolean matches(String password, String hash);

    /**
     * A hash that no password matches and that costs as much to check as any other: checked for
     * unknown emails, so that they take as long as known ones. By default the hash of a random
     * password; a hasher whose format allows it makes one from random bytes, at no cost.
     */
    default String decoyHash(RandomGenerator random) {
        return hash(Base62.random(random, 32));
    }
}
