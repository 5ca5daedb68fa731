package dev.keygate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.server.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@code keygate} program run as a user runs it, in processes of its own: {@code serve} and
 * the admin CLI, from the test class path, with only the {@code KEYGATE_*} variables given.
 */
final class KeygateProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Keygate listening on https://localhost:(\\d+)");

    private final Process process;
    private final Path log;
    private final int port;

    private KeygateProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code keygate serve} with {@code environment}; returns once it listens. */
    static KeygateProcess serve(Map<String, String> environment, Path log) throws IOException {
        Process process = command(List.of("serve"), environment).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                return new KeygateProcess(process, log, Integer.parseInt(matcher.group(1)));
            }
        }
        throw new AssertionError("the server did not start: " + Files.readString(log));
    }

    /** Runs {@code keygate <args>} to its end; returns its stdout lines, failing the test if it failed. */
    static List<String> cli(Map<String, String> environment, String stdin, String... args) throws Exception {
        Process process = command(List.of(args), environment).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = read(process.getInputStream());
        String err = read(process.getErrorStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keygate %s failed: %s", String.join(" ", args), err).isZero();
        return out.lines().toList();
    }

    /** The command line of {@code keygate <args>}, environment cleared of other {@code KEYGATE_*} variables. */
    static ProcessBuilder command(List<String> args, Map<String, String> environment) {
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        argv.add("--enable-native-access=ALL-UNNAMED");
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(Main.class.getName());
        argv.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().keySet().removeIf(name -> name.startsWith("KEYGATE_"));
        builder.environment().putAll(environment);
        return builder;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** GET {@code path} with {@code key} as the bearer token. */
    HttpResponse<String> get(HttpClient client, String path, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(10))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Stops the server as an operator would (SIGTERM), waiting for it to finish. */
    void stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    /** A client that trusts only the certificate generated in {@code dataDir}. */
    static HttpClient clientTrusting(Path dataDir) throws Exception {
        Path tls = dataDir.resolve("tls");
        char[] password = Files.readString(tls.resolve("keygate.p12.password")).strip().toCharArray();
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.resolve("keygate.p12"))) {
            keystore.load(in, password);
        }
        Certificate certificate = keystore.getCertificate("keygate");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("keygate", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build(); // generous: a busy machine is slow to handshake
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
