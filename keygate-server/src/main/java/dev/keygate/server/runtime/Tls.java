package dev.keygate.server.runtime;

import dev.keygate.core.Sha256;
import dev.keygate.keyformat.Base62;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * The server's TLS identity (SPEC section 9): the configured PKCS#12 keystore, or one generated on
 * first start in {@code <data dir>/tls/} by the JDK's own {@code keytool} (a self-signed EC P-256
 * certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}).
 *
 * <p>The keystore is read once, here: its key managers go to the HTTPS server as they are, and
 * its password is not kept. (Vert.x reading the file again cost a second PBKDF2 at start.)
 *
 * @param keyManagers the server's private key and certificate chain, for the HTTPS server
 * @param fingerprint SHA-256 of the certificate, colon-separated hex, as browsers show it
 */
record Tls(Path keystore, KeyManagerFactory keyManagers, String fingerprint, boolean generated) {

    /** Validity of a generated certificate, in days. */
    static final int GENERATED_VALIDITY_DAYS = 825;

    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** TLS 1.2 suites: forward secret and authenticated encryption only. TLS 1.3's are all fine. */
    static final List<String> TLS12_CIPHER_SUITES = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    static final List<String> TLS13_CIPHER_SUITES =
            List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    @Override
    public String toString() {
        return "Tls[keystore=" + keystore + ", fingerprint=" + fingerprint + "]";
    }

    /** The configured keystore, or the generated one (made now if it does not exist yet). */
    static Tls prepare(Config config) {
        if (config.tlsKeystore().isPresent()) {
            Path path = config.tlsKeystore().get();
            String password = config.tlsKeystorePassword().orElseThrow();
            try {
                return load(path, password, false);
            } catch (IOException | GeneralSecurityException e) {
                throw new ConfigException("KEYGATE_TLS_KEYSTORE",
                        "cannot read it as PKCS#12 with KEYGATE_TLS_KEYSTORE_PASSWORD (" + e.getClass().getSimpleName() + ")");
            }
        }
        Path dir = config.dataDir().resolve("tls");
        Path keystore = dir.resolve("keygate.p12");
        Path passwordFile = dir.resolve("keygate.p12.password");
        try {
            boolean generated = false;
            if (!Files.exists(keystore)) {
                generate(dir, keystore, passwordFile);
                generated = true;
            }
            String password = Files.readString(passwordFile, StandardCharsets.US_ASCII).strip();
            return load(keystore, password, generated);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("KEYGATE_DATA_DIR",
                    "cannot create or read the generated certificate in " + dir + " (" + e.getMessage() + ")");
        }
    }

    private static void generate(Path dir, Path keystore, Path passwordFile) throws IOException {
        Storage.ownerOnlyDirectory(dir);
        String password = Base62.random(new SecureRandom(), 32);
        Path partial = dir.resolve("keygate.p12.partial");
        Files.deleteIfExists(partial);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        // The password goes through a file, never the command line, where `ps` would show it.
        Path passwordInput = Files.createTempFile(dir, "pw", ".tmp", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(passwordInput, password, StandardCharsets.US_ASCII);
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "keygate",
                            "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                            "-validity", String.valueOf(GENERATED_VALIDITY_DAYS),
                            "-dname", "CN=localhost, O=Keygate self-signed",
                            "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                            "-storetype", "PKCS12", "-keystore", partial.toString(),
                            "-storepass:file", passwordInput.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating the certificate", e);
        } finally {
            Files.deleteIfExists(passwordInput);
        }
        Files.writeString(passwordFile, password, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
        Files.move(partial, keystore);
    }

    private static Tls load(Path keystore, String password, boolean generated)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, password.toCharArray());
        return new Tls(keystore, keyManagers, fingerprint(store), generated);
    }

    private static String fingerprint(KeyStore store) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                Certificate certificate = store.getCertificate(alias);
                byte[] digest = Sha256.digest(certificate.getEncoded());
                return HexFormat.ofDelimiter(":").formatHex(digest).toUpperCase(Locale.ROOT);
            }
        }
        throw new GeneralSecurityException("no private key entry in the keystore");
    }
}
