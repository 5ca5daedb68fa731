package dev.keygate.client;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS server that answers from a script, for what a real Keygate never does on demand: a
 * {@code 500} then a success, a proxy's HTML {@code 502}, a field added by a newer server. It
 * serves the certificate of a Keygate test server, so clients trust it the same way, and records
 * every request it receives.
 */
final class ScriptedHttpsServer implements AutoCloseable {

    /** A canned answer. */
    record Reply(int status, Map<String, String> headers, String body) {

        static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json", "Request-Id", "req_scripted000000001"),
                    body);
        }

        static Reply problem(int status, String code, String detail) {
            return new Reply(status, Map.of("Content-Type", "application/problem+json",
                    "Request-Id", "req_scripted000000002"),
                    "{\"type\":\"https://keygate.dev/errors/" + code + "\",\"title\":\"T\",\"status\":" + status
                            + ",\"detail\":\"" + detail + "\",\"code\":\"" + code
                            + "\",\"request_id\":\"req_scripted000000002\"}");
        }

        Reply withHeader(String name, String value) {
            Map<String, String> more = new java.util.HashMap<>(headers);
            more.put(name, value);
            return new Reply(status, Map.copyOf(more), body);
        }
    }

    /** A request as the server received it. */
    record Received(String method, String pathAndQuery, Headers headers, String body) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    private final HttpsServer server;
    private final Deque<Reply> script = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    ScriptedHttpsServer(Path pkcs12, String password) {
        try {
            KeyStore keystore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(pkcs12)) {
                keystore.load(in, password.toCharArray());
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keystore, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            server.createContext("/", this::handle);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String baseUrl() {
        return "https://localhost:" + server.getAddress().getPort();
    }

    /** Answers the next requests with these replies, in order; then {@code 500 script exhausted}. */
    synchronized ScriptedHttpsServer then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                new Headers(exchange.getRequestHeaders()), body));
        Reply reply;
        synchronized (this) {
            reply = script.isEmpty() ? Reply.problem(500, "internal_error", "script exhausted") : script.poll();
        }
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
