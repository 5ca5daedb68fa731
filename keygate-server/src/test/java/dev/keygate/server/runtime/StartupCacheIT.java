package dev.keygate.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code bin/keygate serve} started together from one checkout, as docs/deploy.md runs
 * them, share one start-up cache: one of them writes it, whole, by an atomic rename; the others
 * start without it; a broken cache is ignored. Runs bin/keygate on the shaded jar, in a copy of
 * the checkout's layout of its own.
 */
class StartupCacheIT {

    private static final Duration START = Duration.ofMinutes(3);

    @TempDir
    Path root;

    @Test
    void serveWhenStartedThreeAtOnceThenOneCacheWrittenWholeAndEveryStartWorks() throws Exception {
        Path target = layout();

        List<Process> first = startAll(3);
        stopAll(first);
        assertThat(caches(target)).as("one cache, no half-written files").hasSize(1);
        Path cache = caches(target).get(0);
        assertThat(Files.size(cache)).isPositive();

        stopAll(startAll(3)); // each maps the cache
        assertThat(caches(target)).containsExactly(cache);

        Files.writeString(cache, "not a cache");
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().plusSeconds(60)));
        stopAll(startAll(1));
    }

    @Test
    void helpOrVersionWhenAskedThenPrintedAndNoCacheRecorded() throws Exception {
        Path target = layout();

        for (List<String> args : List.of(List.of("--help"), List.of("-V"), List.of("serve", "--help"))) {
            List<String> command = new ArrayList<>(List.of(root.resolve("bin/keygate").toString()));
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(START.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).containsAnyOf("Usage: keygate", "keygate ");
        }

        assertThat(caches(target)).as("only a server records the start-up cache").isEmpty();
    }

    /** bin/ and the jar where bin/keygate looks for them; returns the jar's folder. */
    private Path layout() throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path source = Path.of(System.getProperty("keygate.bin"));
        for (String script : List.of("keygate", "find-java.sh")) {
            Files.copy(source.resolve(script), bin.resolve(script));
            bin.resolve(script).toFile().setExecutable(true);
        }
        Path target = Files.createDirectories(root.resolve("keygate-server/target"));
        Files.copy(Path.of(System.getProperty("keygate.jar")), target.resolve("keygate.jar"));
        return target;
    }

    /** Starts {@code count} servers at once, each on its own data directory; returns once all listen. */
    private List<Process> startAll(int count) throws Exception {
        List<Process> processes = new ArrayList<>();
        List<CompletableFuture<Void>> listening = new ArrayList<>();
        // One thread per server: the common pool has a single worker on a machine with two cores.
        ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < count; i++) {
            Path dataDir = Files.createTempDirectory(root, "data");
            ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/keygate").toString(), "serve")
                    .redirectError(dataDir.resolve("stderr").toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("KEYGATE_"));
            builder.environment().putAll(Map.of("KEYGATE_DATA_DIR", dataDir.toString(), "KEYGATE_HTTPS_PORT", "0"));
            Process process = builder.start();
            processes.add(process);
            listening.add(CompletableFuture.runAsync(() -> awaitListening(process, dataDir), waiters));
        }
        try {
            CompletableFuture.allOf(listening.toArray(CompletableFuture[]::new)).get(START.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            processes.forEach(process -> {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            });
            throw e;
        } finally {
            waiters.shutdown();
        }
        return processes;
    }

    /**
     * Returns once the server says it listens. From then on a thread of its own reads (and at the
     * end closes) the server's output, so that the server never blocks on a full pipe; the reader
     * is not closed here, since closing it would wait for that thread's read.
     */
    private static void awaitListening(Process process, Path dataDir) {
        BufferedReader out = process.inputReader(StandardCharsets.UTF_8);
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("Keygate listening on https://localhost:")) {
                    Thread.ofVirtual().start(() -> drain(out));
                    return;
                }
            }
            out.close();
            throw new AssertionError("a server did not start: " + Files.readString(dataDir.resolve("stderr")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drain(BufferedReader out) {
        try (out) {
            out.transferTo(Writer.nullWriter());
        } catch (IOException e) {
            // The server has gone: nothing more to read.
        }
    }

    /** Stops every server as an operator does (SIGTERM) and waits for each, cache written. */
    private static void stopAll(List<Process> processes) throws InterruptedException {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            assertThat(process.waitFor(START.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("a server stopped by SIGTERM exits normally").isZero();
        }
    }

    /** Every file in the jar's folder but the jar and the lock. */
    private static List<Path> caches(Path target) throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(file -> !file.getFileName().toString().matches("keygate\\.jar|.*\\.lock"))
                    .sorted().toList();
        }
    }
}
