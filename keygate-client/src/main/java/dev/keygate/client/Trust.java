package dev.keygate.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Collections;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS trust for a server whose certificate no public CA signed, such as the one Keygate generates on
 * first start (SPEC section 9). Only what is trusted can be changed: certificate and host name are
 * always verified.
 */
final class Trust {

    private Trust() {}

    /** A context trusting exactly the certificates in {@code store} (certificate entries and key entries' certificates). */
    static SSLContext trusting(KeyStore store) {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int index = 0;
            for (String alias : Collections.list(store.aliases())) {
                Certificate certificate = store.getCertificate(alias);
                if (certificate != null) {
                    trusted.setCertificateEntry("trusted-" + index++, certificate);
                }
            }
            if (index == 0) {
                throw new IllegalArgumentException("the trust store holds no certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), new SecureRandom());
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the trust store: " + e.getMessage(), e);
        }
    }

    /** The X.509 certificates of a PEM file (text around the {@code BEGIN CERTIFICATE} blocks is skipped). */
    static KeyStore fromPem(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("pem-" + index++, certificate);
            }
            if (index == 0) {
                throw new IllegalArgumentException("no certificate in " + pem);
            }
            return store;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + pem + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("no X.509 certificate could be read from " + pem + ": "
                    + e.getMessage(), e);
        }
    }
}
