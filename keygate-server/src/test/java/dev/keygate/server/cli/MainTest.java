package dev.keygate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC section 10: the {@code keygate} command line, its help, version and refusals. */
class MainTest {

    private static final String SECRET = "hunter2Secret";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpWhenAskedThenListsCommandsAndExitsZero() {
        int status = run(Map.of(), "", "--help");

        assertThat(status).isZero();
        assertThat(out()).startsWith("Usage: keygate").contains("serve", "account", "key", "KEYGATE_DATA_DIR");
        assertThat(err()).isEmpty();
    }

    @Test
    void helpOfServeWhenAskedThenNamesEveryFlagWithItsVariable() {
        int status = run(Map.of(), "", "serve", "-h");

        assertThat(status).isZero();
        for (String variable : List.of("KEYGATE_DATA_DIR", "KEYGATE_HTTPS_PORT", "KEYGATE_HTTP_PORT",
                "KEYGATE_DATABASE_URL", "KEYGATE_REDIS_URL", "KEYGATE_SMTP_URL", "KEYGATE_TLS_KEYSTORE",
                "KEYGATE_TLS_KEYSTORE_PASSWORD", "KEYGATE_RATE_LIMIT", "KEYGATE_PUBLIC_URL",
                "KEYGATE_REQUEST_LOG_DAYS")) {
            String flag = "--" + variable.substring("KEYGATE_".length()).toLowerCase().replace('_', '-');
            assertThat(out()).contains(flag + "=", variable);
        }
    }

    @Test
    void helpWhenVariableHoldsPasswordThenNeverShowsIt() {
        int status = run(Map.of("KEYGATE_TLS_KEYSTORE_PASSWORD", SECRET,
                "KEYGATE_SMTP_URL", "smtp://mailer:" + SECRET + "@mail.example.com"), "", "serve", "--help");

        assertThat(status).isZero();
        assertThat(out()).doesNotContain(SECRET);
    }

    @Test
    void versionWhenAskedThenPrintsItAndExitsZero() {
        int status = run(Map.of(), "", "--version");

        assertThat(status).isZero();
        assertThat(out()).startsWith("keygate ");
        assertThat(err()).isEmpty();
    }

    @Test
    void serveWhenFlagValueBadThenOneLineNamingTheSettingAndNoStackTrace() {
        int status = run(Map.of("KEYGATE_DATA_DIR", dir.toString()), "", "serve", "--rate-limit", "lots");

        assertThat(status).isEqualTo(2);
        assertThat(err().lines()).containsExactly(
                "keygate: KEYGATE_RATE_LIMIT: must be a whole number from 1 to 1000000, got \"lots\"");
        assertThat(out()).isEmpty();
    }

    @Test
    void serveWhenVariableBadThenOneLineNamingIt() {
        int status = run(Map.of("KEYGATE_DATA_DIR", dir.toString(), "KEYGATE_REQUEST_LOG_DAYS", "0"), "");

        assertThat(status).isEqualTo(2);
        assertThat(err().lines()).containsExactly(
                "keygate: KEYGATE_REQUEST_LOG_DAYS: must be a whole number from 1 to 3650, got \"0\"");
    }

    @Test
    void commandWhenFlagAndVariableBothGivenThenFlagWins() throws Exception {
        Path fromVariable = dir.resolve("from-variable");
        Path fromFlag = dir.resolve("from-flag");

        int status = run(Map.of("KEYGATE_DATA_DIR", fromVariable.toString()), "correct horse battery staple\n",
                "account create", "--name", "Shop", "--email", "owner@example.com", "--data-dir", fromFlag.toString());

        assertThat(status).as(err()).isZero();
        assertThat(out().strip()).startsWith("acct_");
        assertThat(fromFlag.resolve("keygate.db")).exists();
        assertThat(fromVariable).doesNotExist();
    }

    @Test
    void accountCreateWhenDoneThenOnlyTheIdOnStdoutAndStderrSaysNoMailWasSentAndHowToVerify() {
        int status = run(Map.of("KEYGATE_DATA_DIR", dir.toString()), "correct horse battery staple\n",
                "account create", "--name", "Shop", "--email", "owner@example.com");

        assertThat(status).as(err()).isZero();
        assertThat(out().lines()).singleElement().satisfies(id -> assertThat(id).startsWith("acct_"));
        assertThat(err()).contains("no verification mail was sent to owner@example.com")
                .contains("dashboard").contains("Mail me a verification link");
        assertThat(dir.resolve("outbox")).doesNotExist();
    }

    @Test
    void commandWhenOnlyVariableGivenThenUsed() {
        Path fromVariable = dir.resolve("from-variable");

        int status = run(Map.of("KEYGATE_DATA_DIR", fromVariable.toString()), "correct horse battery staple\n",
                "account create", "--name", "Shop", "--email", "owner@example.com");

        assertThat(status).as(err()).isZero();
        assertThat(fromVariable.resolve("keygate.db")).exists();
    }

    @Test
    void unknownOptionWhenValueHoldsPasswordThenNamedWithoutTheValue() {
        int status = run(Map.of(), "", "serve", "--smtp-urll=smtp://mailer:" + SECRET + "@mail.example.com");

        assertThat(status).isEqualTo(2);
        assertThat(err()).startsWith("keygate: unknown option --smtp-urll").doesNotContain(SECRET);
    }

    @Test
    void unknownCommandWhenGivenThenNamesTheCommands() {
        int status = run(Map.of(), "", "acount", "create");

        assertThat(status).isEqualTo(2);
        assertThat(err()).startsWith("keygate: unknown command \"acount\"; the commands are serve, account, key");
    }

    @Test
    void keyCreateWhenRequiredOptionMissingThenNamesIt() {
        int status = run(Map.of("KEYGATE_DATA_DIR", dir.toString()), "", "key create", "--account", "acct_x");

        assertThat(status).isEqualTo(2);
        assertThat(err()).contains("--type", "--env").doesNotContain("Exception");
        assertThat(Files.exists(dir.resolve("keygate.db"))).isFalse();
    }

    @Test
    void keyCreateWhenRestrictedTypeThenRefusedUntilPoliciesCanBeGiven() {
        int status = run(Map.of("KEYGATE_DATA_DIR", dir.toString()), "", "key create", "--account", "acct_x",
                "--type", "restricted", "--env", "test");

        assertThat(status).isNotZero();
        assertThat(err().lines()).containsExactly("keygate: --type: key type must be public or secret");
        assertThat(Files.exists(dir.resolve("keygate.db"))).isFalse();
    }

    @Test
    void keyDeleteWhenNoSuchKeyThenRefusedWithStatusOne() {
        int status = run(Map.of("KEYGATE_DATA_DIR", dir.toString()), "", "key delete", "key_missing");

        assertThat(status).isEqualTo(1);
        assertThat(err().lines()).containsExactly("keygate: no active key key_missing");
    }

    /** Runs {@code keygate args} in this JVM with only {@code environment} set; returns its exit status. */
    private int run(Map<String, String> environment, String stdin, String... args) {
        // The first argument may be a command of two words, "key create".
        List<String> argv = new ArrayList<>();
        if (args.length > 0) {
            argv.addAll(List.of(args[0].split(" ")));
            argv.addAll(List.of(args).subList(1, args.length));
        }
        Main main = new Main(new CliContext(environment, new BufferedReader(new StringReader(stdin)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)));
        return main.run(argv);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
