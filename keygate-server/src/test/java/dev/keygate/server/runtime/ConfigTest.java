package dev.keygate.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC section 10: configuration from {@code KEYGATE_*} variables and flags, checked at start-up. */
class ConfigTest {

    private static final String SECRET = "hunter2Secret";

    @TempDir
    Path dir;

    @Test
    void loadWhenNothingSetThenSpecDefaults() {
        Config config = Config.load(Map.of(), List.of());

        assertThat(config.dataDir()).isEqualTo(Path.of("./keygate-data"));
        assertThat(config.httpsPort()).isEqualTo(8443);
        assertThat(config.httpPort()).isEmpty();
        assertThat(config.databaseUrl()).isEmpty();
        assertThat(config.redisUrl()).isEmpty();
        assertThat(config.smtpUrl()).isEmpty();
        assertThat(config.tlsKeystore()).isEmpty();
        assertThat(config.tlsKeystorePassword()).isEmpty();
        assertThat(config.rateLimit()).isEqualTo(120);
        assertThat(config.requestLogDays()).isEqualTo(30);
        assertThat(config).isEqualTo(Config.defaults(Path.of("./keygate-data")));
    }

    @Test
    void loadWhenEnvironmentSetThenUsed() throws IOException {
        Path keystore = Files.writeString(dir.resolve("tls.p12"), "not checked here");
        Map<String, String> environment = Map.of(
                "KEYGATE_DATA_DIR", dir.resolve("data").toString(),
                "KEYGATE_HTTPS_PORT", "9443",
                "KEYGATE_HTTP_PORT", "9080",
                "KEYGATE_SMTP_URL", "smtp://mailer:" + SECRET + "@mail.example.com:587",
                "KEYGATE_TLS_KEYSTORE", keystore.toString(),
                "KEYGATE_TLS_KEYSTORE_PASSWORD", SECRET,
                "KEYGATE_RATE_LIMIT", "300");

        Config config = Config.load(environment, List.of());

        assertThat(config.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(config.httpsPort()).isEqualTo(9443);
        assertThat(config.httpPort()).isEqualTo(OptionalInt.of(9080));
        assertThat(config.smtpUrl()).contains(URI.create("smtp://mailer:" + SECRET + "@mail.example.com:587"));
        assertThat(config.tlsKeystore()).contains(keystore);
        assertThat(config.tlsKeystorePassword()).contains(SECRET);
        assertThat(config.rateLimit()).isEqualTo(300);
    }

    @Test
    void loadWhenFlagAndEnvironmentSetThenFlagWins() {
        Map<String, String> environment = Map.of(
                "KEYGATE_HTTPS_PORT", "9000",
                "KEYGATE_RATE_LIMIT", "10",
                "KEYGATE_DATA_DIR", dir.resolve("from-env").toString());

        Config config = Config.load(environment, List.of(
                "--https-port", "9443", "--rate-limit=50", "--http-port", "0"));

        assertThat(config.httpsPort()).isEqualTo(9443);
        assertThat(config.rateLimit()).isEqualTo(50);
        assertThat(config.httpPort()).isEqualTo(OptionalInt.of(0));
        assertThat(config.dataDir()).as("not given as a flag: the variable stays").isEqualTo(dir.resolve("from-env"));
    }

    @Test
    void loadWhenRequestLogDaysGivenThenVariableUsedAndFlagWins() {
        assertThat(Config.load(Map.of("KEYGATE_REQUEST_LOG_DAYS", "7"), List.of()).requestLogDays()).isEqualTo(7);
        assertThat(Config.load(Map.of("KEYGATE_REQUEST_LOG_DAYS", "7"), List.of("--request-log-days", "90"))
                .requestLogDays()).isEqualTo(90);
    }

    @Test
    void loadWhenVariableBlankThenDefault() {
        Config config = Config.load(Map.of("KEYGATE_HTTPS_PORT", "  ", "KEYGATE_RATE_LIMIT", ""), List.of());

        assertThat(config.httpsPort()).isEqualTo(8443);
        assertThat(config.rateLimit()).isEqualTo(120);
    }

    @Test
    void loadWhenPortsZeroThenAcceptedAsPickAFreePort() {
        Config config = Config.load(Map.of("KEYGATE_HTTPS_PORT", "0", "KEYGATE_HTTP_PORT", "0"), List.of());

        assertThat(config.httpsPort()).isZero();
        assertThat(config.httpPort()).isEqualTo(OptionalInt.of(0));
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("KEYGATE_HTTPS_PORT", "abc"),
                Arguments.of("KEYGATE_HTTPS_PORT", "70000"),
                Arguments.of("KEYGATE_HTTPS_PORT", "65536"),
                Arguments.of("KEYGATE_HTTPS_PORT", "-1"),
                Arguments.of("KEYGATE_HTTPS_PORT", "8443.0"),
                Arguments.of("KEYGATE_HTTP_PORT", "http"),
                Arguments.of("KEYGATE_HTTP_PORT", "99999"),
                Arguments.of("KEYGATE_RATE_LIMIT", "0"),
                Arguments.of("KEYGATE_RATE_LIMIT", "-120"),
                Arguments.of("KEYGATE_RATE_LIMIT", "lots"),
                Arguments.of("KEYGATE_RATE_LIMIT", "99999999999"),
                Arguments.of("KEYGATE_SMTP_URL", "http://mail.example.com"),
                Arguments.of("KEYGATE_SMTP_URL", "mail.example.com:25"),
                Arguments.of("KEYGATE_DATABASE_URL", "mysql://db.example.com/keygate"),
                Arguments.of("KEYGATE_REDIS_URL", "memcached://cache:11211"),
                Arguments.of("KEYGATE_REQUEST_LOG_DAYS", "0"),
                Arguments.of("KEYGATE_REQUEST_LOG_DAYS", "a month"),
                Arguments.of("KEYGATE_REQUEST_LOG_DAYS", "3651"));
    }

    @ParameterizedTest(name = "[{index}] {0}={1}")
    @MethodSource("badValues")
    void loadWhenValueBadThenOneLineNamingTheVariable(String variable, String value) {
        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> Config.load(Map.of(variable, value), List.of()));

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).startsWith(variable + ":").doesNotContain("\n");
    }

    @ParameterizedTest(name = "[{index}] {0}={1}")
    @MethodSource("badValues")
    void loadWhenFlagValueBadThenMessageNamesTheSetting(String variable, String value) {
        String flag = ConfigOptions.flagOf(variable);

        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> Config.load(Map.of(), List.of(flag, value)));

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).satisfiesAnyOf(
                message -> assertThat(message).startsWith(variable + ":"),
                message -> assertThat(message).startsWith(flag + ":"));
    }

    @Test
    void loadWhenKeystoreFileMissingThenNamesKeystore() {
        assertThatThrownBy(() -> Config.load(Map.of(
                        "KEYGATE_TLS_KEYSTORE", dir.resolve("missing.p12").toString(),
                        "KEYGATE_TLS_KEYSTORE_PASSWORD", SECRET), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("KEYGATE_TLS_KEYSTORE:")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void loadWhenKeystoreWithoutPasswordThenNamesPassword() throws IOException {
        Path keystore = Files.writeString(dir.resolve("tls.p12"), "x");

        assertThatThrownBy(() -> Config.load(Map.of("KEYGATE_TLS_KEYSTORE", keystore.toString()), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("KEYGATE_TLS_KEYSTORE_PASSWORD:");
    }

    @Test
    void loadWhenPasswordWithoutKeystoreThenNamesKeystore() {
        assertThatThrownBy(() -> Config.load(Map.of("KEYGATE_TLS_KEYSTORE_PASSWORD", SECRET), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("KEYGATE_TLS_KEYSTORE")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void loadWhenDataDirIsAFileThenNamesDataDir() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");

        assertThatThrownBy(() -> Config.load(Map.of("KEYGATE_DATA_DIR", file.toString()), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("KEYGATE_DATA_DIR:");
    }

    @Test
    void loadWhenHttpPortEqualsHttpsPortThenNamesHttpPort() {
        assertThatThrownBy(() -> Config.load(Map.of("KEYGATE_HTTPS_PORT", "8443", "KEYGATE_HTTP_PORT", "8443"),
                        List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("KEYGATE_HTTP_PORT:");
    }

    @Test
    void loadWhenUnknownFlagThenNamesIt() {
        assertThatThrownBy(() -> Config.load(Map.of(), List.of("--htps-port", "9443")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--htps-port:");
    }

    @Test
    void loadWhenArgumentIsNotAFlagThenRefused() {
        assertThatThrownBy(() -> Config.load(Map.of(), List.of("9443")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("9443:");
    }

    @Test
    void loadWhenFlagHasNoValueThenNamesIt() {
        assertThatThrownBy(() -> Config.load(Map.of(), List.of("--https-port")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--https-port:");
    }

    static Stream<Arguments> valuesHoldingSecrets() {
        return Stream.of(
                Arguments.of("KEYGATE_SMTP_URL", "smtp://mailer:" + SECRET + "@"),
                Arguments.of("KEYGATE_SMTP_URL", "smtp://mailer:" + SECRET + " x@mail.example.com:587"),
                Arguments.of("KEYGATE_SMTP_URL", "http://mailer:" + SECRET + "@mail.example.com"),
                Arguments.of("KEYGATE_DATABASE_URL", "jdbc:mysql://db/keygate?user=kg&password=" + SECRET),
                Arguments.of("KEYGATE_DATABASE_URL", "postgres://kg:" + SECRET + "@db/keygate"),
                Arguments.of("KEYGATE_REDIS_URL", "http://:" + SECRET + "@cache:6379"),
                Arguments.of("KEYGATE_REDIS_URL", "redis://:" + SECRET + " @cache:6379"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valuesHoldingSecrets")
    void loadWhenRefusedValueHoldsPasswordThenMessageDoesNotShowIt(String variable, String value) {
        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> Config.load(Map.of(variable, value), List.of()));

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).startsWith(variable + ":").doesNotContain(SECRET);
    }

    @Test
    void toStringWhenPasswordsConfiguredThenNeverShowsThem() throws IOException {
        Path keystore = Files.writeString(dir.resolve("tls.p12"), "x");
        Map<String, String> environment = new HashMap<>();
        environment.put("KEYGATE_SMTP_URL", "smtp://mailer:" + SECRET + "@mail.example.com:587");
        environment.put("KEYGATE_TLS_KEYSTORE", keystore.toString());
        environment.put("KEYGATE_TLS_KEYSTORE_PASSWORD", SECRET + "Keystore");

        Config config = Config.load(environment, List.of());

        assertThat(config.toString())
                .doesNotContain(SECRET)
                .contains("mail.example.com")
                .contains(keystore.toString());
    }

    @Test
    void toStringWhenSmtpPasswordInQueryThenNotShown() {
        Config config = Config.load(Map.of("KEYGATE_SMTP_URL", "smtps://mail.example.com:465?password=" + SECRET),
                List.of());

        assertThat(config.toString()).doesNotContain(SECRET);
    }

    @Test
    void toStringWhenRecordBuiltDirectlyThenPasswordsStillHidden() {
        Config config = new Config(dir, 0, OptionalInt.empty(), Optional.of("jdbc:postgresql://kg:" + SECRET + "@db/k"),
                Optional.of("redis://:" + SECRET + "@cache:6379"),
                Optional.of(URI.create("smtp://u:" + SECRET + "@mail.example.com")), Optional.of(dir),
                Optional.of(SECRET), 120);

        assertThat(config.toString()).doesNotContain(SECRET);
    }

    @Test
    void loadWhenPublicUrlGivenThenLinksUseItAndBadOnesAreRefused() {
        assertThat(Config.load(Map.of("KEYGATE_PUBLIC_URL", "https://pay.example.com"), List.of()).publicUrl())
                .contains(java.net.URI.create("https://pay.example.com"));
        assertThat(Config.load(Map.of(), List.of()).publicUrl()).isEmpty();
        for (String bad : List.of("http://pay.example.com", "https://pay.example.com/keygate",
                "https://user:pw@pay.example.com", "pay.example.com")) {
            assertThatThrownBy(() -> Config.load(Map.of("KEYGATE_PUBLIC_URL", bad), List.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("KEYGATE_PUBLIC_URL:")
                    .hasMessageNotContaining("pw@");
        }
    }
}
