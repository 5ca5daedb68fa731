package dev.keygate.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.accounts.PasswordHasher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoundedHasherTest {

    /** A hasher whose every check waits until the test lets it finish. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final Semaphore started = new Semaphore(0);
    private final PasswordHasher slow = new PasswordHasher() {
        @Override
        public String hash(String password) {
            return "hashed:" + password;
        }

        @Override
        public boolean matches(String password, String hash) {
            started.release();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return hash.equals("hashed:" + password);
        }
    };
    private final BoundedHasher hasher = new BoundedHasher(slow, 1, 2);
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        release.countDown();
        callers.close();
        hasher.close();
    }

    @Test
    void matchesWhenThreadsAndQueueFullThenBusyAtOnceAndQueuedChecksStillAnswer() throws Exception {
        CompletableFuture<Boolean> running = check("right", "hashed:right");
        assertThat(started.tryAcquire(10, TimeUnit.SECONDS)).as("the one thread is checking").isTrue();
        CompletableFuture<Boolean> queued1 = check("wrong", "hashed:right");
        CompletableFuture<Boolean> queued2 = check("right", "hashed:right");
        awaitQueued(2);

        assertThatThrownBy(() -> hasher.matches("third", "hashed:third")).isInstanceOf(BoundedHasher.Busy.class);
        assertThatThrownBy(() -> hasher.hash("fourth")).isInstanceOf(BoundedHasher.Busy.class);

        release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(queued1.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(queued2.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(hasher.hash("later")).as("room again once the queue drained").isEqualTo("hashed:later");
    }

    @Test
    void busyWhenThrownThenCarriesNoPassword() {
        assertThat(new BoundedHasher.Busy().getMessage()).doesNotContain("password1").isNotBlank();
    }

    private CompletableFuture<Boolean> check(String password, String hash) {
        return CompletableFuture.supplyAsync(() -> hasher.matches(password, hash), callers);
    }

    private void awaitQueued(int expected) throws InterruptedException {
        // The callers submit from their own threads: wait (bounded) until both are in the queue.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hasher.queued() < expected && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(hasher.queued()).isEqualTo(expected);
    }
}
