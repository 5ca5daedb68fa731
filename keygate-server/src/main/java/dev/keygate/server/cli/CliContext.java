package dev.keygate.server.cli;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * What a command of the {@code keygate} program reads and writes besides its options: the
 * environment (for the {@code KEYGATE_*} defaults), standard input and output, and the clock.
 *
 * @param stdin where a password is read from; {@code null} = ask on the terminal
 */
record CliContext(Map<String, String> environment, BufferedReader stdin, PrintStream out, PrintStream err,
        Clock clock) {}
