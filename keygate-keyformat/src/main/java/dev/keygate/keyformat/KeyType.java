package dev.keygate.keyformat;

/** The three kinds of API key (SPEC section 1). */
public enum KeyType {
    /** Publishable: for browsers and apps; may only initiate payments and call {@code ping}. */
    PUBLIC("pk", "public"),
    /** Secret: for servers; may do everything the API offers. */
    SECRET("sk", "secret"),
    /** Restricted: a secret key limited to the permissions it was created with (SPEC section 12). */
    RESTRICTED("rk", "restricted");

    private final String prefix;
    private final String label;

    KeyType(String prefix, String label) {
        this.prefix = prefix;
        this.label = label;
    }

    /** The two letters a key of this type starts with: {@code pk}, {@code sk} or {@code rk}. */
    public String prefix() {
        return prefix;
    }

    /** The name used in the API and the CLI: {@code public}, {@code secret} or {@code restricted}. */
    public String label() {
        return label;
    }

    /** The type named {@code public}, {@code secret} or {@code restricted}. */
    public static KeyType fromLabel(String label) {
        for (KeyType type : values()) {
            if (type.label.equals(label)) {
                return type;
            }
        }
        throw new IllegalArgumentException("key type must be public, secret or restricted");
    }
}
