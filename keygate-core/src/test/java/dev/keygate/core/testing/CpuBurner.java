package dev.keygate.core.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every core of this machine busy until closed, as a loaded node would be: one platform
 * thread per core, spinning. For tests that must hold on a busy machine (issue 16).
 *
 * <pre>{@code
 * try (CpuBurner burner = CpuBurner.start()) { ... }
 * }</pre>
 */
public final class CpuBurner implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    /** Read at close, so that the spinning is not optimised away. */
    private volatile long sink;

    private CpuBurner() {}

    /** One spinning thread per available core. */
    public static CpuBurner start() {
        CpuBurner burner = new CpuBurner();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread thread = Thread.ofPlatform().daemon().name("cpu-burner-" + i).start(burner::spin);
            burner.threads.add(thread);
        }
        return burner;
    }

    private void spin() {
        long x = 1;
        while (running) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        sink = x;
    }

    @Override
    public void close() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
