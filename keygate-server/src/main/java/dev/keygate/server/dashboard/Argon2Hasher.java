package dev.keygate.server.dashboard;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.keygate.core.accounts.PasswordHasher;
import java.util.Base64;
import java.util.random.RandomGenerator;

/**
 * Argon2id password hashes in PHC string form (SPEC section 8), with OWASP's minimum
 * parameters: 19 MiB of memory, 2 iterations, 1 lane. A hash made with other parameters is
 * still checked with its own.
 */
public final class Argon2Hasher implements PasswordHasher {

    static final int MEMORY_KIB = 19_456;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    static final int HASH_LENGTH = 32;
    static final int SALT_LENGTH = 16;

    @Override
    public String hash(String password) {
        return Password.hash(password).addRandomSalt(SALT_LENGTH).with(Function.INSTANCE).getResult();
    }

    /**
     * A PHC string with this hasher's parameters and a random salt and hash: checking a password
     * against it costs one full Argon2id, and no password is known to give those hash bytes.
     */
    @Override
    public String decoyHash(RandomGenerator random) {
        byte[] salt = new byte[SALT_LENGTH];
        byte[] hash = new byte[HASH_LENGTH];
        random.nextBytes(salt);
        random.nextBytes(hash);
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
                + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    @Override
    public boolean matches(String password, String hash) {
        try {
            return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
        } catch (RuntimeException malformedHash) {
            return false;
        }
    }

    /**
     * Made on first use, not at start: password4j sets up its 19 MiB of initial block memory
     * when the function is made, which took a tenth of the server's start-up.
     */
    private static final class Function {
        static final Argon2Function INSTANCE =
                Argon2Function.getInstance(MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_LENGTH, Argon2.ID);
    }
}
