package dev.keygate.core;

import dev.keygate.keyformat.Base62;
import java.util.random.RandomGenerator;

/** Public object ids of SPEC section 1: a prefix and 16 base62 characters. */
public final class Ids {

    /** Random characters after the prefix. */
    public static final int LENGTH = 16;

    private final RandomGenerator random;

    /** Ids drawn from {@code random} (a {@code SecureRandom}: ids must not be guessable). */
    public Ids(RandomGenerator random) {
        this.random = random;
    }

    public String account() {
        return "acct_" + Base62.random(random, LENGTH);
    }

    public String key() {
        return "key_" + Base62.random(random, LENGTH);
    }

    public String rotation() {
        return "rot_" + Base62.random(random, LENGTH);
    }

    /** Whether {@code id} has the shape of an id with this prefix, such as {@code key_}. */
    public static boolean isWellFormed(String id, String prefix) {
        if (id == null || id.length() != prefix.length() + LENGTH || !id.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < id.length(); i++) {
            if (!Base62.isDigit(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
