package dev.keygate.core;

/** Hashes and checks account passwords (Argon2id in the server). Slow by design: call off the event loop. */
public interface PasswordHasher {

    String hash(String password);

    /** Constant-time with respect to the password. */
    boolean matches(String password, String hash);
}
