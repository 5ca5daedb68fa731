package dev.keygate.keyformat;

/** Thrown by {@link ApiKey#parse(String)}: the text is not a key. Its message never contains the text. */
public final class MalformedApiKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final Malformation malformation;

    public MalformedApiKeyException(Malformation malformation) {
        super("Malformed API key: " + malformation.explanation() + ".");
        this.malformation = malformation;
    }

    /** What is wrong. */
    public Malformation malformation() {
        return malformation;
    }
}
