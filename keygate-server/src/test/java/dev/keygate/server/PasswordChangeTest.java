package dev.keygate.server;

import static dev.keygate.server.DashboardClient.PASSWORD;
import static dev.keygate.server.DashboardClient.newEmail;
import static dev.keygate.server.dashboard.Cookies.SESSION_COOKIE;
import static dev.keygate.server.testing.TestServer.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.dashboard.Logins;
import dev.keygate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's password page over real HTTPS: the current password is required (and a wrong
 * one counts toward the log-in lockout), the new one then logs in and the old one no longer does,
 * every other session ends while the one that asked stays, and the change is audited.
 */
class PasswordChangeTest {

    private static final String NEW_PASSWORD = "a brand new dashboard password";
    private static final String CHANGED = "Your password is changed.";
    private static final String NOT_CURRENT = "This is not your current password.";

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
    void changeWhenCurrentPasswordRightThenNewOneLogsInOldOneNotAndOtherSessionsEnd() {
        String email = newEmail();
        try (DashboardClient owner = new DashboardClient(server); DashboardClient laptop = new DashboardClient(server);
                DashboardClient fresh = new DashboardClient(server)) {
            owner.signUp(email);
            assertThat(laptop.logIn(email, PASSWORD).statusCode()).isEqualTo(303);
            assertThat(laptop.get("/dashboard/keys").statusCode()).isEqualTo(200);
            assertThat(owner.get("/dashboard/keys").body()).contains("href=\"/dashboard/password\"");

            assertThat(owner.get("/dashboard/password").statusCode()).isEqualTo(200);
            HttpResponse<String> changed = owner.submit("/dashboard/password", "current", PASSWORD, "password",
                    NEW_PASSWORD, "confirmation", NEW_PASSWORD);

            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat(changed.body()).contains(CHANGED);
            assertThat(owner.get("/dashboard/keys").statusCode()).as("this session stays").isEqualTo(200);
            HttpResponse<String> laptopKeys = laptop.get("/dashboard/keys");
            assertThat(laptopKeys.statusCode()).as("the other session is over").isEqualTo(303);
            assertThat(header(laptopKeys, "Location")).hasValue("/dashboard/login");
            assertThat(fresh.logIn(email, PASSWORD).statusCode()).as("the old password").isEqualTo(401);
            assertThat(fresh.cookie(SESSION_COOKIE)).isEmpty();
            assertThat(fresh.logIn(email, NEW_PASSWORD).statusCode()).as("the new password").isEqualTo(303);
            assertThat(fresh.get("/dashboard/keys").statusCode()).isEqualTo(200);
            assertThat(owner.get("/dashboard/audit").body()).contains("password.changed");
        }
    }

    @Test
    void changeWhenCurrentPasswordWrongThenRefusedAndNothingChanges() {
        String email = newEmail();
        try (DashboardClient owner = new DashboardClient(server); DashboardClient laptop = new DashboardClient(server);
                DashboardClient fresh = new DashboardClient(server)) {
            owner.signUp(email);
            assertThat(laptop.logIn(email, PASSWORD).statusCode()).isEqualTo(303);
            owner.get("/dashboard/password");

            HttpResponse<String> refused = owner.submit("/dashboard/password", "current", "not the password at all",
                    "password", NEW_PASSWORD, "confirmation", NEW_PASSWORD);

            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains(NOT_CURRENT).doesNotContain(CHANGED);
            assertThat(laptop.get("/dashboard/keys").statusCode()).as("the other session stays").isEqualTo(200);
            assertThat(fresh.logIn(email, NEW_PASSWORD).statusCode()).isEqualTo(401);
            assertThat(fresh.logIn(email, PASSWORD).statusCode()).isEqualTo(303);
            assertThat(owner.get("/dashboard/audit").body()).contains("login.failed").doesNotContain("password.changed");
        }
    }

    @Test
    void changeWhenNewPasswordShortOrConfirmationDiffersThenMessageNextToTheFieldAndNothingChanges() {
        String email = newEmail();
        try (DashboardClient owner = new DashboardClient(server); DashboardClient fresh = new DashboardClient(server)) {
            owner.signUp(email);
            owner.get("/dashboard/password");

            HttpResponse<String> tooShort = owner.submit("/dashboard/password", "current", PASSWORD, "password",
                    "too short", "confirmation", "too short");
            assertThat(tooShort.statusCode()).isEqualTo(400);
            assertThat(tooShort.body()).contains("id=\"password-error\"", "Password must be 10 to 256 characters.");

            HttpResponse<String> differs = owner.submit("/dashboard/password", "current", PASSWORD, "password",
                    NEW_PASSWORD, "confirmation", NEW_PASSWORD + "!");
            assertThat(differs.statusCode()).isEqualTo(400);
            assertThat(differs.body()).contains("id=\"confirmation-error\"");

            assertThat(fresh.logIn(email, PASSWORD).statusCode()).isEqualTo(303);
        }
    }

    @Test
    void changeWhenTenWrongCurrentPasswordsThenLoginLockedEvenWithRightPassword() {
        String email = newEmail();
        try (DashboardClient owner = new DashboardClient(server); DashboardClient fresh = new DashboardClient(server)) {
            owner.signUp(email);
            owner.get("/dashboard/password");
            for (int failure = 1; failure <= Logins.LOCKOUT_FAILURES; failure++) {
                owner.submit("/dashboard/password", "current", "wrong password " + failure, "password", NEW_PASSWORD,
                        "confirmation", NEW_PASSWORD);
            }

            HttpResponse<String> locked = owner.submit("/dashboard/password", "current", PASSWORD, "password",
                    NEW_PASSWORD, "confirmation", NEW_PASSWORD);
            assertThat(locked.statusCode()).isEqualTo(429);
            assertThat(locked.body()).contains("Too many wrong passwords").doesNotContain(CHANGED);
            assertThat(fresh.logIn(email, PASSWORD).statusCode()).as("log-in is locked too").isEqualTo(429);
        }
    }

    @Test
    void changeWhenCsrfTokenMissingOrWrongThenRefusedAndNothingChanges() {
        String email = newEmail();
        try (DashboardClient owner = new DashboardClient(server); DashboardClient other = new DashboardClient(server);
                DashboardClient fresh = new DashboardClient(server)) {
            owner.signUp(email);
            other.signUp(newEmail());
            Map<String, String> form = DashboardClient.form("current", PASSWORD, "password", NEW_PASSWORD,
                    "confirmation", NEW_PASSWORD);

            HttpResponse<String> missing = owner.post("/dashboard/password", form);
            form.put("csrf", other.csrf());
            HttpResponse<String> foreign = owner.post("/dashboard/password", form);

            for (HttpResponse<String> refused : List.of(missing, foreign)) {
                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(refused.body()).contains("This form has expired").doesNotContain(CHANGED);
            }
            assertThat(fresh.logIn(email, NEW_PASSWORD).statusCode()).isEqualTo(401);
            assertThat(fresh.logIn(email, PASSWORD).statusCode()).isEqualTo(303);
            assertThat(owner.get("/dashboard/audit").body()).doesNotContain("password.changed");
        }
    }
}
