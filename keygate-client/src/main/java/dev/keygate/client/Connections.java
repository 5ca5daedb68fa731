package dev.keygate.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** How the SDK reaches a server: the base URL it accepts, the TLS it trusts, the HTTP client it uses. */
final class Connections {

    private Connections() {}

    /**
     * @throws IllegalArgumentException for a URL that is not {@code https} with a host, or has a query, fragment or user info
     */
    static URI baseUrl(String baseUrl) {
        URI uri;
        try {
            uri = new URI(Objects.requireNonNull(baseUrl, "baseUrl"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl is not a URL: " + e.getReason());
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an https:// URL with a host, such as "
                    + KeygateClient.DEFAULT_BASE_URL + ": Keygate serves its API over HTTPS only");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("baseUrl must not have a query, fragment or user info");
        }
        return uri;
    }

    /**
     * An HTTP/1.1 client that never follows redirects and speaks TLS 1.2 or 1.3 only, trusting
     * {@code trustStore}, else the certificates of {@code pemFile}, else the JVM's CAs.
     */
    static HttpClient httpClient(Duration connectTimeout, KeyStore trustStore, Path pemFile) {
        SSLContext context;
        if (trustStore != null) {
            context = Trust.trusting(trustStore);
        } else if (pemFile != null) {
            context = Trust.trusting(Trust.fromPem(pemFile));
        } else {
            try {
                context = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no TLS", e);
            }
        }
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(context)
                .sslParameters(parameters)
                .build();
    }

    /** The SDK's version from its build, as sent in {@code User-Agent}. */
    static String sdkVersion() {
        try (InputStream in = KeygateClient.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
