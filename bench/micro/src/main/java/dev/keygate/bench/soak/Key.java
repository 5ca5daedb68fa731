package dev.keygate.bench.soak;

/**
 * A key the soak uses, with when it was valid as the soak knows it: from the answer that issued
 * it, until the soak asked for its deletion. Its value never reaches {@link #toString()}.
 */
final class Key {

    final String value;
    final Account account;
    final boolean secret;
    /** Made by the soak in the dashboard (not at sign-up), so it may be rotated or deleted. */
    final boolean disposable;
    volatile String id;
    volatile long validFrom;
    volatile long invalidFrom = Long.MAX_VALUE;
    volatile boolean rotated;

    Key(String value, Account account, boolean secret, boolean disposable, String id, long validFrom) {
        this.value = value;
        this.account = account;
        this.secret = secret;
        this.disposable = disposable;
        this.id = id;
        this.validFrom = validFrom;
    }

    @Override
    public String toString() {
        return "Key[" + value.substring(0, 8) + "..." + value.substring(value.length() - 4) + "]";
    }
}
