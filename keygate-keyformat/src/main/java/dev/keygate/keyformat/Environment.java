package dev.keygate.keyformat;

/** {@code test} or {@code live}: every key and every object belongs to exactly one (SPEC section 1). */
public enum Environment {
    TEST("test"),
    LIVE("live");

    private final String label;

    Environment(String label) {
        this.label = label;
    }

    /** {@code test} or {@code live}, as it appears in keys, ids and JSON. */
    public String label() {
        return label;
    }

    /** The environment named {@code test} or {@code live}. */
    public static Environment fromLabel(String label) {
        for (Environment environment : values()) {
            if (environment.label.equals(label)) {
                return environment;
            }
        }
        throw new IllegalArgumentException("environment must be test or live");
    }
}
