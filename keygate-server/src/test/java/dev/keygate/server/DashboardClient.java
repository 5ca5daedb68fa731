package dev.keygate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.keyformat.ApiKey;
import dev.keygate.server.dashboard.Cookies;
import dev.keygate.server.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a browser, for the dashboard of a {@link TestServer}: plain java.net.http
 * over HTTPS, redirects not followed, a cookie jar of its own (name to value, kept from
 * {@code Set-Cookie}), the last form token seen on a page, and every response it received, so that
 * a test can check where a secret appeared.
 *
 * <pre>{@code
 * DashboardClient browser = new DashboardClient(server);
 * HttpResponse<String> created = browser.signUp("Shop", email, PASSWORD);
 * browser.submit("/dashboard/keys", "type", "secret", "name", "Backend");
 * }</pre>
 */
final class DashboardClient implements AutoCloseable {

    static final String PASSWORD = "a long enough dashboard password";
    static final Pattern ANY_KEY = Pattern.compile("\\b[ps]k_(?:test|live)_[0-9A-Za-z]{38}\\b");
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TestServer server;
    private final HttpClient http;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final List<HttpResponse<String>> received = new ArrayList<>();
    private String csrf;

    DashboardClient(TestServer server) {
        this.server = server;
        this.http = server.newClient(Optional.empty());
    }

    /** A unique, valid email address. */
    static String newEmail() {
        return "owner-" + Long.toUnsignedString(RANDOM.nextLong(), 36) + "@example.com";
    }

    // ---- requests ----

    HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(server.https(pathAndQuery)).GET());
    }

    /** POSTs the form as given: no token is added. */
    HttpResponse<String> post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(server.https(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POSTs name/value pairs with the form token of the last page, as a browser submits a form. */
    HttpResponse<String> submit(String path, String... nameValuePairs) {
        assertThat(csrf).as("a form token from an earlier page").isNotNull();
        Map<String, String> form = form(nameValuePairs);
        form.put("csrf", csrf);
        return post(path, form);
    }

    /** Opens the sign-up page and submits it; returns the answer to the POST. */
    HttpResponse<String> signUp(String name, String email, String password) {
        assertThat(get("/dashboard/signup").statusCode()).isEqualTo(200);
        return submit("/dashboard/signup", "name", name, "email", email, "password", password);
    }

    /**
     * Signs up, follows the link mailed to the outbox as the owner does, and checks that the page of
     * first keys came back with a session; returns that page.
     */
    HttpResponse<String> signUp(String email) {
        HttpResponse<String> sent = signUp("Test shop", email, PASSWORD);
        assertThat(sent.statusCode()).as("sign-up of %s: %s", email, sent.body()).isEqualTo(200);
        assertThat(cookie(Cookies.SESSION_COOKIE)).isEmpty();
        HttpResponse<String> created = followLink(Outbox.verificationLink(server.dataDir(), email));
        assertThat(created.statusCode()).as("sign-up link of %s: %s", email, created.body()).isEqualTo(201);
        assertThat(cookie(Cookies.SESSION_COOKIE)).isPresent();
        return created;
    }

    /** Opens a mailed verification link and presses its button; returns the answer to the POST. */
    HttpResponse<String> followLink(String link) {
        URI uri = URI.create(link);
        assertThat(get(uri.getRawPath() + "?" + uri.getRawQuery()).statusCode()).isEqualTo(200);
        return submit("/dashboard/verify", "token", token(link));
    }

    /** The token of a mailed verification link. */
    static String token(String link) {
        return link.substring(link.indexOf("token=") + "token=".length());
    }

    /** Opens the login page and submits it; returns the answer to the POST. */
    HttpResponse<String> logIn(String email, String password) {
        assertThat(get("/dashboard/login").statusCode()).isEqualTo(200);
        return submit("/dashboard/login", "email", email, "password", password);
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream()
                    .map(cookie -> cookie.getKey() + "=" + cookie.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = TestServer.send(http, request);
        received.add(response);
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String[] nameValue = setCookie.split(";", 2)[0].split("=", 2);
            boolean expired = nameValue[1].isEmpty() || setCookie.toLowerCase().contains("max-age=0");
            if (expired) {
                cookies.remove(nameValue[0].strip());
            } else {
                cookies.put(nameValue[0].strip(), nameValue[1].strip());
            }
        }
        Matcher token = CSRF_FIELD.matcher(response.body());
        if (token.find()) {
            csrf = token.group(1);
        }
        return response;
    }

    // ---- state ----

    Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    /** Sets (or, with null, removes) a cookie, as a tampering client would. */
    void cookie(String name, String value) {
        if (value == null) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }

    /** The form token of the last page that had a form. */
    String csrf() {
        return csrf;
    }

    void csrf(String token) {
        this.csrf = token;
    }

    /** Every response this client received, oldest first. */
    List<HttpResponse<String>> received() {
        return Collections.unmodifiableList(received);
    }

    @Override
    public void close() {
        http.close();
    }

    // ---- reading pages ----

    /** Every API key value in a page, in order. */
    static List<String> keyValues(String html) {
        List<String> values = new ArrayList<>();
        Matcher matcher = ANY_KEY.matcher(html);
        while (matcher.find()) {
            values.add(matcher.group());
        }
        return values;
    }

    /** The one key value of that prefix ({@code sk_test_}, …) in a page. */
    static String keyValue(String html, String prefix) {
        List<String> values = keyValues(html).stream().filter(value -> value.startsWith(prefix)).distinct().toList();
        assertThat(values).as("%s keys in the page", prefix).hasSize(1);
        return values.get(0);
    }

    /** A key value read from a page, as the API client sends it. */
    static ApiKey parse(String value) {
        return ApiKey.parse(value);
    }

    static Map<String, String> form(String... nameValuePairs) {
        assertThat(nameValuePairs.length % 2).as("name/value pairs").isZero();
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            form.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return form;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
