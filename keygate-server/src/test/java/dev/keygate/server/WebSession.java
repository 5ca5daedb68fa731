package dev.keygate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.server.dashboard.Cookies;
import dev.keygate.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@link DashboardClient}'s browser without a browser for any Keygate, not only a
 * {@link TestServer}: a server started here with other options, or another process. Redirects are
 * not followed; a cookie jar of its own, the last form token seen, every response kept.
 *
 * <pre>{@code
 * WebSession browser = new WebSession(URI.create("https://localhost:" + port), KeygateProcess.clientTrusting(dataDir),
 *         email -> Outbox.verificationLink(dataDir, email));
 * browser.signUp(email);
 * }</pre>
 */
final class WebSession {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");

    private final URI base;
    private final HttpClient http;
    private final Function<String, String> links;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final List<HttpResponse<String>> received = Collections.synchronizedList(new ArrayList<>());
    private volatile String csrf;

    /**
     * @param http a client trusting the server's certificate, redirects not followed
     * @param links the newest verification link mailed to an email, as read from wherever the server's mail goes
     */
    WebSession(URI base, HttpClient http, Function<String, String> links) {
        this.base = base;
        this.http = http;
        this.links = links;
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET());
    }

    /** POSTs name/value pairs with the form token of the last page, as a browser submits a form. */
    HttpResponse<String> submit(String path, String... nameValuePairs) {
        assertThat(csrf).as("a form token from an earlier page").isNotNull();
        Map<String, String> form = DashboardClient.form(nameValuePairs);
        form.put("csrf", csrf);
        return post(path, form);
    }

    /** POSTs the form as given: no token is added. */
    HttpResponse<String> post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * Signs up through the form and follows the mailed link; checks the page of first keys came back
     * with a session, and returns it.
     */
    HttpResponse<String> signUp(String email) {
        assertThat(get("/dashboard/signup").statusCode()).isEqualTo(200);
        HttpResponse<String> sent = submit("/dashboard/signup", "name", "Test shop", "email", email, "password",
                DashboardClient.PASSWORD);
        assertThat(sent.statusCode()).as("sign-up of %s: %s", email, sent.body()).isEqualTo(200);
        String link = links.apply(email);
        URI uri = URI.create(link);
        assertThat(get(uri.getRawPath() + "?" + uri.getRawQuery()).statusCode()).isEqualTo(200);
        HttpResponse<String> created = submit("/dashboard/verify", "token", DashboardClient.token(link));
        assertThat(created.statusCode()).as("sign-up link of %s: %s", email, created.body()).isEqualTo(201);
        synchronized (cookies) {
            assertThat(cookies).containsKey(Cookies.SESSION_COOKIE);
        }
        return created;
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        synchronized (cookies) {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream()
                        .map(cookie -> cookie.getKey() + "=" + cookie.getValue())
                        .collect(Collectors.joining("; ")));
            }
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        received.add(response);
        synchronized (cookies) {
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String[] nameValue = setCookie.split(";", 2)[0].split("=", 2);
                if (nameValue[1].isEmpty() || setCookie.toLowerCase().contains("max-age=0")) {
                    cookies.remove(nameValue[0].strip());
                } else {
                    cookies.put(nameValue[0].strip(), nameValue[1].strip());
                }
            }
        }
        Matcher token = CSRF_FIELD.matcher(response.body());
        if (token.find()) {
            csrf = token.group(1);
        }
        return response;
    }

    /** Every response received, oldest first. */
    List<HttpResponse<String>> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
