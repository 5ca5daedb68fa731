package dev.keygate.keyformat;

/** What makes a presented string not a key (SPEC section 2), with a message that never echoes it. */
public enum Malformation {
    PREFIX("an API key starts with sk_test_, sk_live_, pk_test_, pk_live_, rk_test_ or rk_live_"),
    LENGTH("an API key is " + ApiKey.LENGTH + " characters long"),
    ALPHABET("an API key has only the characters 0-9, A-Z and a-z after its prefix"),
    CHECKSUM("the API key's checksum does not match: it was mistyped or cut short");

    private final String explanation;

    Malformation(String explanation) {
        this.explanation = explanation;
    }

    /** A sentence fragment saying what is wrong, fit for an error message. */
    public String explanation() {
        return explanation;
    }
}
