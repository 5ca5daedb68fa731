package dev.keygate.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's own secret: 32 random bytes that live beside the database, never in it, so that
 * someone who reads the database (a copied file, a backup) cannot reproduce what is keyed by it:
 * digests of short one-time codes (a bare SHA-256 of a 6-digit code is reversed by trying a
 * million codes), mails waiting in the outbox, CSRF tokens. Every use names its purpose and gets a
 * key of its own, derived from the secret by HMAC-SHA256, so that no two uses ever share a key.
 *
 * <pre>{@code
 * String digest = secret.hmacHex("rotation code", requestId + ":" + code);
 * String stored = secret.seal("outbox", mailText);       // AES-256-GCM
 * String text = secret.open("outbox", stored);
 * }</pre>
 */
public final class ServerSecret {

    /** Bytes of the secret. */
    public static final int LENGTH = 32;

    private static final String SEALED_PREFIX = "v1.";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final byte[] secret;
    private final RandomGenerator random;

    /**
     * @param secret {@value #LENGTH} random bytes (copied)
     * @param random a {@code SecureRandom}: it draws the nonces of {@link #seal}
     */
    public ServerSecret(byte[] secret, RandomGenerator random) {
        if (secret.length != LENGTH) {
            throw new IllegalArgumentException("a server secret has " + LENGTH + " bytes, not " + secret.length);
        }
        this.secret = secret.clone();
        this.random = Objects.requireNonNull(random);
    }

    /** A new secret drawn from {@code random}, a {@code SecureRandom}. */
    public static ServerSecret generate(RandomGenerator random) {
        byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        return new ServerSecret(bytes, random);
    }

    /** The secret's bytes, to be written where it is kept; the caller must not log them. */
    public byte[] bytes() {
        return secret.clone();
    }

    /** HMAC-SHA256 of {@code message} in UTF-8 under the key of {@code purpose}. */
    public byte[] hmac(String purpose, String message) {
        return mac(key(purpose), message.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #hmac} in lower-case hex: what a store keeps instead of a code. */
    public String hmacHex(String purpose, String message) {
        return HexFormat.of().formatHex(hmac(purpose, message));
    }

    /**
     * Names this secret without revealing it: nodes that must share one compare these. It is an
     * HMAC under a purpose of its own, so it says nothing about any other key.
     */
    public String fingerprint() {
        return hmacHex("fingerprint", "keygate server secret").substring(0, 32);
    }

    /** Encrypts {@code text} with AES-256-GCM under the key of {@code purpose}, bound to that purpose. */
    public String seal(String purpose, String text) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, purpose, iv);
            byte[] sealed = cipher.doFinal(text.getBytes(StandardCharsets.UTF_8));
            return SEALED_PREFIX + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /** Whether {@code text} is what {@link #seal} makes (and not, say, a mail stored before sealing existed). */
    public static boolean isSealed(String text) {
        return text.startsWith(SEALED_PREFIX);
    }

    /**
     * Decrypts what {@link #seal} made for {@code purpose}.
     *
     * @throws IllegalArgumentException if it was sealed under another secret or purpose, or altered
     */
    public String open(String purpose, String sealed) {
        if (!isSealed(sealed)) {
            throw new IllegalArgumentException("not sealed text");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(SEALED_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sealed text that is not Base64");
        }
        if (bytes.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("sealed text too short");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, purpose, Arrays.copyOf(bytes, IV_BYTES));
            return new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("sealed under another secret or purpose, or altered");
        }
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "ServerSecret[" + fingerprint() + "]";
    }

    private Cipher cipher(int mode, String purpose, byte[] iv) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key(purpose), "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private byte[] key(String purpose) {
        return mac(secret, ("keygate " + purpose).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] mac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
