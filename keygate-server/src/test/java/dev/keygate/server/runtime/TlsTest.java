package dev.keygate.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {

    @TempDir
    Path dataDir;

    @Test
    void prepareWhenNoKeystoreThenGeneratesOneAndReusesItOnTheNextStart() throws Exception {
        Tls first = Tls.prepare(config(Map.of()));
        Tls second = Tls.prepare(config(Map.of()));

        assertThat(first.generated()).isTrue();
        assertThat(second.generated()).isFalse();
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
        X509Certificate served = servedCertificate(second);
        assertThat(served.getSubjectX500Principal().getName()).contains("CN=localhost");
        assertThat(second.fingerprint()).isEqualTo(HexFormat.ofDelimiter(":")
                .formatHex(MessageDigest.getInstance("SHA-256").digest(served.getEncoded())).toUpperCase(Locale.ROOT));
    }

    @Test
    void prepareWhenKeystoreConfiguredThenServesItsKey() throws Exception {
        Tls generated = Tls.prepare(config(Map.of()));

        Tls configured = Tls.prepare(config(Map.of(
                "KEYGATE_TLS_KEYSTORE", generated.keystore().toString(),
                "KEYGATE_TLS_KEYSTORE_PASSWORD", generatedPassword())));

        assertThat(configured.generated()).isFalse();
        assertThat(configured.fingerprint()).isEqualTo(generated.fingerprint());
        assertThat(servedCertificate(configured)).isEqualTo(servedCertificate(generated));
    }

    @Test
    void prepareWhenPasswordWrongThenOneLineNamingTheVariableAndNoSecret() throws Exception {
        Path keystore = Tls.prepare(config(Map.of())).keystore();

        assertThatThrownBy(() -> Tls.prepare(config(Map.of(
                        "KEYGATE_TLS_KEYSTORE", keystore.toString(),
                        "KEYGATE_TLS_KEYSTORE_PASSWORD", "not-the-password"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("KEYGATE_TLS_KEYSTORE: cannot read it as PKCS#12")
                .hasMessageNotContaining("not-the-password")
                .hasMessageNotContaining(generatedPassword());
    }

    @Test
    void toStringShowsNoKeyMaterial() throws Exception {
        Tls tls = Tls.prepare(config(Map.of()));

        assertThat(tls.toString()).isEqualTo("Tls[keystore=" + tls.keystore() + ", fingerprint=" + tls.fingerprint() + "]");
    }

    private Config config(Map<String, String> environment) {
        Map<String, String> values = new java.util.HashMap<>(environment);
        values.put("KEYGATE_DATA_DIR", dataDir.toString());
        return Config.load(values, List.of());
    }

    private String generatedPassword() throws Exception {
        return Files.readString(dataDir.resolve("tls").resolve("keygate.p12.password")).strip();
    }

    private static X509Certificate servedCertificate(Tls tls) {
        X509KeyManager keys = (X509KeyManager) tls.keyManagers().getKeyManagers()[0];
        String alias = keys.chooseServerAlias("EC", null, null);
        assertThat(keys.getPrivateKey(alias)).isNotNull();
        return keys.getCertificateChain(alias)[0];
    }
}
