package dev.keygate.server;

import static dev.keygate.server.DashboardClient.PASSWORD;
import static dev.keygate.server.DashboardClient.keyValue;
import static dev.keygate.server.DashboardClient.newEmail;
import static dev.keygate.server.dashboard.Cookies.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.accounts.Account;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sign-up never tells whether an email already has an account (SPEC section 8): the page is the
 * same, no session is opened, and only the mail says which.
 */
class SignUpTest {

    /** Headers that differ between any two answers, whatever they answer. */
    private static final Set<String> PER_RESPONSE_HEADERS = Set.of("set-cookie", "date", "request-id");

    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void signUpWhenEmailHasAnAccountThenSamePageAsForANewEmailAndNoSessionEither() {
        String taken = newEmail();
        try (DashboardClient owner = new DashboardClient(server)) {
            owner.signUp(taken);
        }
        try (DashboardClient first = new DashboardClient(server); DashboardClient second = new DashboardClient(server)) {
            HttpResponse<String> existing = first.signUp("Someone else", taken, "another long password");
            HttpResponse<String> fresh = second.signUp("Someone else", newEmail(), "another long password");

            assertThat(existing.statusCode()).isEqualTo(fresh.statusCode()).isEqualTo(200);
            assertThat(comparableHeaders(existing)).isEqualTo(comparableHeaders(fresh));
            assertThat(withoutTokens(existing.body())).isEqualTo(withoutTokens(fresh.body()));
            assertThat(existing.body()).contains("Check your mail");
            for (HttpResponse<String> answer : List.of(existing, fresh)) {
                assertThat(answer.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(SESSION_COOKIE));
            }
            assertThat(first.cookie(SESSION_COOKIE)).isEmpty();
            assertThat(second.cookie(SESSION_COOKIE)).isEmpty();
            assertThat(first.get("/dashboard/keys").statusCode()).isEqualTo(303);
            assertThat(second.get("/dashboard/keys").statusCode()).isEqualTo(303);
        }
    }

    @Test
    void signUpThenTheMailSaysWhichNewAccountsLinkOrANoteToLogIn() {
        String taken = newEmail();
        String fresh = newEmail();
        try (DashboardClient owner = new DashboardClient(server); DashboardClient visitor = new DashboardClient(server)) {
            owner.signUp(taken);
            int mailsToOwner = mailsTo(taken);

            visitor.signUp("Someone else", taken, "another long password");
            visitor.signUp("Newcomer", fresh, PASSWORD);

            assertThat(mailsTo(taken)).isEqualTo(mailsToOwner + 1);
            Outbox.Mail note = Outbox.newest(server.dataDir(), taken).orElseThrow();
            assertThat(note.subject()).isEqualTo("Someone tried to sign up for Keygate with your email");
            assertThat(note.text()).contains("https://localhost:" + server.keygate().httpsPort() + "/dashboard/login")
                    .doesNotContain("/dashboard/verify").doesNotContain("Someone else");
            assertThat(mailsTo(fresh)).isEqualTo(1);
            Outbox.Mail welcome = Outbox.newest(server.dataDir(), fresh).orElseThrow();
            assertThat(welcome.subject()).isEqualTo("Finish signing up for Keygate");
            assertThat(Outbox.verificationLink(server.dataDir(), fresh)).isNotEmpty();
        }
    }

    @Test
    void signUpLinkWhenFollowedThenSignedInWithFirstKeysOnceAndNeverAgain() {
        String email = newEmail();
        try (DashboardClient owner = new DashboardClient(server); DashboardClient later = new DashboardClient(server)) {
            assertThat(owner.signUp("Test shop", email, PASSWORD).statusCode()).isEqualTo(200);
            assertThat(server.keys().list(account(email).id())).as("no key before the link").isEmpty();
            String link = Outbox.verificationLink(server.dataDir(), email);

            // Opening the link uses nothing (a mail scanner may fetch it); its button does.
            assertThat(later.get(link.substring(link.indexOf("/dashboard/"))).statusCode()).isEqualTo(200);
            HttpResponse<String> created = owner.followLink(link);

            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.body()).contains("Your first keys");
            assertThat(owner.cookie(SESSION_COOKIE)).isPresent();
            String secret = keyValue(created.body(), "sk_test_");
            keyValue(created.body(), "pk_test_");
            assertThat(server.ping(ApiKey.parse(secret)).statusCode()).isEqualTo(200);
            assertThat(owner.get("/dashboard/keys").body()).doesNotContain(secret);

            HttpResponse<String> again = later.followLink(link);
            assertThat(again.statusCode()).isEqualTo(400);
            assertThat(again.body()).contains("This link does not work");
            assertThat(DashboardClient.keyValues(again.body())).isEmpty();
            assertThat(later.cookie(SESSION_COOKIE)).isEmpty();
            assertThat(server.keys().list(account(email).id())).hasSize(2);
        }
    }

    @Test
    void signUpWhenEmailHasAnAccountThenItsPasswordNameAndKeysUnchanged() {
        String email = newEmail();
        try (DashboardClient owner = new DashboardClient(server); DashboardClient intruder = new DashboardClient(server)) {
            owner.signUp(email);
            Account before = account(email);
            int keys = server.keys().list(before.id()).size();

            assertThat(intruder.signUp("Intruder Ltd", email.toUpperCase(), "the intruder's password").statusCode())
                    .isEqualTo(200);

            assertThat(account(email)).isEqualTo(before);
            assertThat(server.keys().list(before.id())).hasSize(keys);
            assertThat(intruder.logIn(email, "the intruder's password").statusCode()).isEqualTo(401);
            assertThat(intruder.cookie(SESSION_COOKIE)).isEmpty();
            try (DashboardClient again = new DashboardClient(server)) {
                assertThat(again.logIn(email, PASSWORD).statusCode()).isEqualTo(303);
            }
        }
    }

    private static Map<String, List<String>> comparableHeaders(HttpResponse<String> response) {
        Map<String, List<String>> headers = new TreeMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!PER_RESPONSE_HEADERS.contains(name.toLowerCase())) {
                headers.put(name.toLowerCase(), values);
            }
        });
        return headers;
    }

    private static String withoutTokens(String html) {
        return html.replaceAll("name=\"csrf\" value=\"[^\"]*\"", "name=\"csrf\" value=\"\"");
    }

    private static int mailsTo(String email) {
        return (int) Outbox.mails(server.dataDir()).stream().filter(mail -> mail.to().equalsIgnoreCase(email)).count();
    }

    private static Account account(String email) {
        return server.store().findAccountByEmail(email).orElseThrow();
    }
}
