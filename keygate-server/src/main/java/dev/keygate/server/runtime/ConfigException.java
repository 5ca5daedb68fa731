package dev.keygate.server.runtime;

/** A configuration value is wrong. Its message is the one line printed at start-up, naming the variable. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String variable, String problem) {
        super(variable + ": " + problem);
    }
}
