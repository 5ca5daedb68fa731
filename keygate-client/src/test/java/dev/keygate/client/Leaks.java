package dev.keygate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Checks that a key appears nowhere a developer or a log would see it. */
final class Leaks {

    private Leaks() {}

    /** Neither the message, nor {@code toString()}, nor the printed stack trace (causes included) holds {@code key}. */
    static void assertKeyNotIn(Throwable thrown, String key) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        assertThat(String.valueOf(thrown.getMessage())).doesNotContain(key);
        assertThat(thrown.toString()).doesNotContain(key);
        assertThat(trace.toString()).doesNotContain(key);
        // Nor a recognizable piece of it: its random part.
        assertThat(trace.toString()).doesNotContain(key.substring(8, 40));
    }
}
