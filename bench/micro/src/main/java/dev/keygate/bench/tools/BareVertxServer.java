package dev.keygate.bench.tools;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The reference server of issue 8: a bare Vert.x 5 HTTPS server (no router, no logging) whose auth
 * step is a SHA-256 of the bearer key and a hash-map lookup, answering ping's body and headers.
 * It runs on the same event loops, TLS settings and certificate as Keygate, so that
 * {@code bench/http-vs-nginx/run} can split the distance to nginx into what the platform (JDK TLS,
 * Netty, Vert.x) costs and what Keygate adds on top.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.keygate.bench.tools.BareVertxServer KEYSTORE.p12 PASSWORD_FILE PORT KEYS_FILE BODY_FILE
 * }</pre>
 */
public final class BareVertxServer {

    private BareVertxServer() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: BareVertxServer KEYSTORE.p12 PASSWORD_FILE PORT KEYS_FILE BODY_FILE");
            System.exit(2);
        }
        String password = Files.readString(Path.of(args[1]), StandardCharsets.US_ASCII).strip();
        int port = Integer.parseInt(args[2]);
        Map<ByteBuffer, String> keys = new HashMap<>();
        int i = 0;
        for (String key : Files.readAllLines(Path.of(args[3]), StandardCharsets.US_ASCII)) {
            if (!key.isBlank()) {
                keys.put(ByteBuffer.wrap(sha256(key)), "key_bench" + i++);
            }
        }
        Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(args[4])));

        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        HttpServerOptions options = new HttpServerOptions()
                .setSsl(true)
                .setKeyCertOptions(new PfxOptions().setPath(args[0]).setPassword(password))
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3", "TLSv1.2"));
        List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384").forEach(options::addEnabledCipherSuite);
        for (int l = 0; l < loops; l++) {
            HttpServer server = vertx.createHttpServer(options).requestHandler(request -> {
                String authorization = request.getHeader("Authorization");
                String keyId = authorization != null && authorization.startsWith("Bearer ")
                        ? keys.get(ByteBuffer.wrap(sha256(authorization.substring(7).strip())))
                        : null;
                if (keyId == null) {
                    request.response().setStatusCode(401).end();
                    return;
                }
                request.response()
                        .putHeader("Request-Id", "req_" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36))
                        .putHeader("Strict-Transport-Security", "max-age=63072000")
                        .putHeader("Cache-Control", "no-store")
                        .putHeader("X-Content-Type-Options", "nosniff")
                        .putHeader("RateLimit-Policy", "\"default\";q=20000;w=60")
                        .putHeader("RateLimit", "\"default\";r=19999;t=60")
                        .putHeader("Content-Type", "application/json")
                        .end(body);
            });
            server.listen(port, "127.0.0.1").await();
        }
        System.out.println("bare Vert.x listening on https://127.0.0.1:" + port + " with " + keys.size() + " keys");
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static byte[] sha256(String key) {
        return SHA256.get().digest(key.getBytes(StandardCharsets.US_ASCII));
    }
}
