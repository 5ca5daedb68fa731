package dev.keygate.server.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one way to do blocking work (JDBC, Argon2id, SMTP, files) from a request: the task runs on a
 * virtual thread and its result is delivered back on the caller's event loop, so handlers stay
 * single-threaded and the loop never waits.
 *
 * <pre>{@code
 * blocking.run(() -> store.findKey(id)).onComplete(result -> …); // back on the loop
 * }</pre>
 */
public final class Blocking implements AutoCloseable {

    private final ExecutorService executor =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("keygate-blocking-", 0).factory());

    /**
     * Runs {@code task} on a virtual thread. Called on a Vert.x context, the future completes on
     * that context; called elsewhere, on the virtual thread.
     */
    public <T> Future<T> run(Callable<T> task) {
        Context context = Vertx.currentContext();
        Promise<T> promise = Promise.promise();
        executor.execute(() -> {
            T value;
            try {
                value = task.call();
            } catch (Throwable failure) {
                deliver(context, () -> promise.fail(failure));
                return;
            }
            deliver(context, () -> promise.complete(value));
        });
        return promise.future();
    }

    private static void deliver(Context context, Runnable completion) {
        if (context == null) {
            completion.run();
            return;
        }
        try {
            context.runOnContext(ignored -> completion.run());
        } catch (RejectedExecutionException closed) {
            // Vert.x has stopped (the server is stopping): no handler is left to take the result.
        }
    }

    /** Stops taking tasks and waits for running ones. */
    @Override
    public void close() {
        executor.close();
    }
}
