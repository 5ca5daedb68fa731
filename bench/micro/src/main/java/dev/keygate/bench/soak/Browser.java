package dev.keygate.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One account owner in the dashboard (SPEC section 8) for the soak: a cookie jar, the last form
 * token, and the flows the soak drives: sign up, log in, create, rotate (the code read from the
 * nodes' outbox {@code .eml} files) and delete a key. Every page may be asked of any node.
 */
final class Browser {

    static final Pattern SECRET_KEY = Pattern.compile("\\bsk_test_[0-9A-Za-z]{38}\\b");
    static final Pattern PUBLIC_KEY = Pattern.compile("\\bpk_test_[0-9A-Za-z]{38}\\b");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");
    private static final Pattern ROW = Pattern.compile("data-key-id=\"(key_[0-9A-Za-z]{16})\">(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern ROTATION = Pattern.compile("/dashboard/rotations/(rot_[0-9A-Za-z]{16})$");
    private static final Pattern CODE = Pattern.compile("(?m)^\\s+(\\d{6})\\s*$");
    private static final Pattern VERIFY = Pattern.compile("/dashboard/verify\\?token=([0-9A-Za-z]+)");
    /** How long a sign-up waits for its mail. */
    private static final Duration SIGN_UP_MAIL_WAIT = Duration.ofSeconds(30);
    static final String PASSWORD = "a long enough soak password";
    /** Outbox files already used for a code, across all owners. */
    private static final Set<Path> USED_MAILS = ConcurrentHashMap.newKeySet();

    final String email;
    private final HttpClient http;
    private final List<Path> outboxes;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String csrf;
    /** The status of the last response, for the caller's tally. */
    int lastStatus;

    Browser(String email, HttpClient http, List<Path> outboxes) {
        this.email = email;
        this.http = http;
        this.outboxes = outboxes;
    }

    /**
     * Signs up as a merchant does: the form ("check your mail"), then the mailed link and its
     * button; returns the page with the account's first secret and public keys.
     */
    String signUp(URI node, String name) throws IOException, InterruptedException {
        get(node, "/dashboard/signup");
        long asked = System.currentTimeMillis();
        expect(post(node, "/dashboard/signup", "name", name, "email", email, "password", PASSWORD), 200);
        String token = verificationToken(asked - 2_000);
        get(node, "/dashboard/verify?token=" + token);
        return expect(post(node, "/dashboard/verify", "token", token), 201).body();
    }

    /** The token of the sign-up link mailed to this owner, waiting for the mail. */
    private String verificationToken(long since) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + SIGN_UP_MAIL_WAIT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            for (Path outbox : outboxes) {
                if (!Files.isDirectory(outbox)) {
                    continue;
                }
                try (Stream<Path> mails = Files.list(outbox)) {
                    for (Path mail : mails.filter(p -> p.toString().endsWith(".eml")).toList()) {
                        if (Files.getLastModifiedTime(mail).toMillis() < since) {
                            continue;
                        }
                        // Quoted-printable: soft line breaks joined, "=3D" read as "=".
                        String text = Files.readString(mail, StandardCharsets.ISO_8859_1)
                                .replaceAll("=\r?\n", "").replace("=3D", "=");
                        Matcher link = VERIFY.matcher(text);
                        if (text.contains(email) && link.find()) {
                            return link.group(1);
                        }
                    }
                } catch (IOException gone) {
                    // Being written or removed: looked at again on the next pass.
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no sign-up mail to " + email + " within " + SIGN_UP_MAIL_WAIT);
    }

    /** Logs in again; if that fails, the session it had is kept, as a browser's would be. */
    synchronized void logIn(URI node) throws IOException, InterruptedException {
        Map<String, String> before = new LinkedHashMap<>(cookies);
        String csrfBefore = csrf;
        try {
            cookies.clear();
            get(node, "/dashboard/login");
            expect(post(node, "/dashboard/login", "email", email, "password", PASSWORD), 303);
        } catch (IOException | RuntimeException e) {
            cookies.clear();
            cookies.putAll(before);
            csrf = csrfBefore;
            throw e;
        }
    }

    /** Creates a secret test key named {@code name}; returns its value and its id. */
    String[] createKey(URI node, String name) throws IOException, InterruptedException {
        get(node, "/dashboard/keys");
        String page = expect(post(node, "/dashboard/keys", "type", "secret", "name", name), 201).body();
        String value = find(SECRET_KEY, page, "a new key");
        return new String[] {value, keyId(node, value)};
    }

    /** Rotates with a grace period of an hour, the code read from the outbox; returns the new key's value and id. */
    String[] rotate(URI node, String keyId, Duration mailWait) throws IOException, InterruptedException {
        get(node, "/dashboard/keys/" + keyId + "/rotate");
        long asked = System.currentTimeMillis();
        HttpResponse<String> requested = expect(post(node, "/dashboard/keys/" + keyId + "/rotate", "grace", "1h"), 303);
        Matcher rotation = ROTATION.matcher(requested.headers().firstValue("Location").orElse(""));
        if (!rotation.find()) {
            throw new IllegalStateException("no rotation in " + requested.headers().firstValue("Location"));
        }
        String code = code(asked - 2_000, mailWait);
        get(node, "/dashboard/rotations/" + rotation.group(1));
        String page = expect(post(node, "/dashboard/rotations/" + rotation.group(1), "code", code), 201).body();
        String value = find(SECRET_KEY, page, "the rotated key");
        return new String[] {value, keyId(node, value)};
    }

    void delete(URI node, String keyId) throws IOException, InterruptedException {
        get(node, "/dashboard/keys/" + keyId + "/delete");
        expect(post(node, "/dashboard/keys/" + keyId + "/delete"), 303);
    }

    /** The id of the key with that value, from the keys page (which shows its last 4 characters). */
    private String keyId(URI node, String value) throws IOException, InterruptedException {
        String page = expect(get(node, "/dashboard/keys"), 200).body();
        Matcher row = ROW.matcher(page);
        String last4 = value.substring(value.length() - 4);
        while (row.find()) {
            if (row.group(2).contains(last4 + "<")) {
                return row.group(1);
            }
        }
        throw new IllegalStateException("no row for the new key");
    }

    /** The code of the newest unused code mail to this owner, waiting for a node to deliver it. */
    private String code(long since, Duration wait) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + wait.toMillis();
        while (System.currentTimeMillis() < deadline) {
            for (Path outbox : outboxes) {
                if (!Files.isDirectory(outbox)) {
                    continue;
                }
                try (Stream<Path> mails = Files.list(outbox)) {
                    for (Path mail : mails.filter(p -> p.toString().endsWith(".eml")).toList()) {
                        Optional<String> code = codeIn(mail, since);
                        if (code.isPresent()) {
                            return code.get();
                        }
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no code mail within " + wait);
    }

    private Optional<String> codeIn(Path mail, long since) {
        try {
            if (USED_MAILS.contains(mail) || Files.getLastModifiedTime(mail).toMillis() < since) {
                return Optional.empty();
            }
            String text = Files.readString(mail, StandardCharsets.ISO_8859_1);
            Matcher code = CODE.matcher(text);
            if (text.contains(email) && text.contains("Keygate code") && code.find() && USED_MAILS.add(mail)) {
                return Optional.of(code.group(1));
            }
        } catch (IOException gone) {
            // Being written or removed: looked at again on the next pass.
        }
        return Optional.empty();
    }

    private HttpResponse<String> get(URI node, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(node.resolve(path)).GET());
    }

    private HttpResponse<String> post(URI node, String path, String... pairs) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        if (csrf != null) {
            form.put("csrf", csrf);
        }
        String body = form.entrySet().stream()
                .map(f -> URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(node.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private synchronized HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        request.timeout(Duration.ofSeconds(30));
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        lastStatus = response.statusCode();
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String[] nameValue = setCookie.split(";", 2)[0].split("=", 2);
            if (nameValue[1].isEmpty() || setCookie.toLowerCase().contains("max-age=0")) {
                cookies.remove(nameValue[0].strip());
            } else {
                cookies.put(nameValue[0].strip(), nameValue[1].strip());
            }
        }
        Matcher token = CSRF.matcher(response.body());
        if (token.find()) {
            csrf = token.group(1);
        }
        return response;
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri().getPath()
                    + ": " + response.statusCode() + " (wanted " + status + ")");
        }
        return response;
    }

    static String find(Pattern pattern, String page, String what) {
        Matcher matcher = pattern.matcher(page);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + what + " in the page");
        }
        return matcher.group();
    }
}
