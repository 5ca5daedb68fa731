package dev.keygate.server.cli;

import ch.qos.logback.classic.LoggerContext;
import dev.keygate.server.runtime.ConfigOptions;
import dev.keygate.server.runtime.Keygate;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

/** {@code keygate serve}: runs the server until SIGTERM or SIGINT (SPEC section 10). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the server (the default command).",
        footer = {"", "Each option can be given as its KEYGATE_* variable instead (--https-port as "
                + "KEYGATE_HTTPS_PORT); a flag wins over its variable."})
final class Serve implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    private ConfigOptions options;

    Serve(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        // SIGTERM and SIGINT stop the server in order and end the JVM normally (status 0), which
        // also lets the JVM write the start-up cache that bin/keygate asks for. The handlers are in
        // place before the server says it listens, so a stop sent as soon as it does is clean too;
        // one sent while it starts stops it once it has.
        CountDownLatch stopping = new CountDownLatch(1);
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), ignored -> stopping.countDown());
        }
        Keygate keygate = Keygate.start(options.config(), context.clock());
        PrintStream out = context.out();
        if (keygate.generatedCertificate()) {
            out.println("Generated a self-signed TLS certificate: " + keygate.keystore());
        }
        out.println("TLS certificate SHA-256 fingerprint: " + keygate.fingerprint());
        out.println("Keygate listening on https://localhost:" + keygate.httpsPort()
                + keygate.httpPort().stream().mapToObj(p -> " (plain HTTP on port " + p + " answers 403)")
                        .findFirst().orElse(""));
        out.flush();
        try {
            stopping.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        keygate.close();
        // Buffered log lines (the access log's last 200 ms) are written before the JVM exits.
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
            logging.stop();
        }
        return 0;
    }
}
