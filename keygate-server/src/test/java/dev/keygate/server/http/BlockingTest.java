package dev.keygate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BlockingTest {

    private final Blocking blocking = new Blocking();
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private Thread.UncaughtExceptionHandler previousHandler;
    private Vertx vertx;

    @BeforeEach
    void start() {
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> uncaught.add(failure));
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        blocking.close();
        vertx.close().await();
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
    }

    @Test
    void runCompletesOnTheCallersEventLoop() throws Exception {
        CompletableFuture<String> completedOn = new CompletableFuture<>();
        vertx.runOnContext(ignored -> {
            Thread loop = Thread.currentThread();
            blocking.run(() -> Thread.currentThread().isVirtual())
                    .onSuccess(virtual -> completedOn.complete(
                            (virtual ? "virtual" : "platform") + (Thread.currentThread() == loop ? ", loop" : ", other")));
        });

        assertThat(completedOn.get(10, TimeUnit.SECONDS)).isEqualTo("virtual, loop");
    }

    @Test
    void taskFinishingAfterVertxStoppedIsDroppedQuietly() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        vertx.runOnContext(ignored -> blocking.run(() -> {
            started.countDown();
            release.await();
            return "late";
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        vertx.close().await();
        release.countDown();
        blocking.close(); // waits for the task

        assertThat(uncaught).isEmpty();
    }
}
