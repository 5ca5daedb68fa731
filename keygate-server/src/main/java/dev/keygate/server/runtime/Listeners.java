package dev.keygate.server.runtime;

import dev.keygate.server.http.FoldedHeaders;
import dev.keygate.server.http.HttpLimits;
import dev.keygate.server.http.Problems;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.ext.web.Router;
import java.util.HashSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The HTTPS listener and the optional plain one (SPEC section 9), one server per event loop. */
final class Listeners {

    private final Vertx vertx;
    private final int eventLoops;

    Listeners(Vertx vertx, int eventLoops) {
        this.vertx = vertx;
        this.eventLoops = eventLoops;
    }

    /** Listens with TLS 1.2 and 1.3 on {@code port}; returns the port (0 picks a free one). */
    int https(Tls tls, int port, Router router) {
        HttpServerOptions https = new HttpServerOptions()
                .setSsl(true)
                .setKeyCertOptions(KeyCertOptions.wrap(tls.keyManagers()))
                .setEnabledSecureTransportProtocols(new HashSet<>(Tls.PROTOCOLS))
                .setSslHandshakeTimeout(HttpLimits.HANDSHAKE_TIMEOUT.toSeconds())
                .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
        Tls.TLS13_CIPHER_SUITES.forEach(https::addEnabledCipherSuite);
        Tls.TLS12_CIPHER_SUITES.forEach(https::addEnabledCipherSuite);
        return listen(HttpLimits.apply(https), port, -1, "KEYGATE_HTTPS_PORT", router, true);
    }

    /** Listens in plain HTTP on {@code port}, where every request is refused; returns the port. */
    int plain(int port) {
        return listen(HttpLimits.apply(new HttpServerOptions()), port, -2, "KEYGATE_HTTP_PORT",
                Routes.plainRouter(vertx), false);
    }

    /**
     * One server per event loop, all sharing one port, so that connections spread over every core.
     * Each server must be created on its own event loop's context: servers created from one thread
     * share that thread's context, and then one event loop serves every connection. Port 0
     * becomes {@code randomKey}: Vert.x gives servers listening on the same negative port one
     * shared random port.
     *
     * @throws ConfigException naming {@code variable} if the port cannot be listened on
     */
    private int listen(HttpServerOptions options, int port, int randomKey, String variable, Router router,
            boolean https) {
        AtomicInteger actualPort = new AtomicInteger(port);
        try {
            vertx.deployVerticle(() -> new VerticleBase() {
                @Override
                public Future<?> start() {
                    return vertx.createHttpServer(options)
                            .connectionHandler(FoldedHeaders::refuse)
                            .requestHandler(router)
                            .invalidRequestHandler(Problems.invalidRequestHandler(https))
                            .listen(port == 0 ? randomKey : port, "0.0.0.0")
                            .onSuccess(server -> actualPort.set(server.actualPort()));
                }
            }, new DeploymentOptions().setInstances(eventLoops)).await();
        } catch (Exception e) {
            throw new ConfigException(variable, "cannot listen on port " + port + " (" + e.getMessage() + ")");
        }
        return actualPort.get();
    }
}
