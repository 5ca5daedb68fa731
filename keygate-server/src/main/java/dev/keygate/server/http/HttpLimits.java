package dev.keygate.server.http;

import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The limits every listener puts on a connection and a request, before any route sees it. */
public final class HttpLimits {

    /** Keep-alive connections idle this long are closed; also bounds a client that stops sending. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** A TLS handshake must finish within this. */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Longest request line, and longest header block (a bearer key is 53 bytes of it). */
    public static final int MAX_INITIAL_LINE = 4_096;
    public static final int MAX_HEADER_SIZE = 8_192;

    private HttpLimits() {}

    /**
     * {@code options} with these limits, no compression either way, and HTTP/1.1 only: without
     * h2c, Vert.x sets a connection up before it reads a byte of it, so {@link FoldedHeaders} sees
     * every request from the first.
     */
    public static HttpServerOptions apply(HttpServerOptions options) {
        return options.setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) IDLE_TIMEOUT.toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setCompressionSupported(false)
                .setDecompressionSupported(false);
    }
}
