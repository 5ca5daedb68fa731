package dev.keygate.bench.soak;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/** A test account the soak signed up: its owner's dashboard session, its keys and its payments. */
final class Account {

    final String id;
    final Browser owner;
    /** Held to the default limit and sent more than it, to count what is over-admitted. */
    final boolean limited;
    final Key publicKey;
    /** The secret keys in use; a key leaves before its deletion is asked for. */
    final List<Key> keys = new CopyOnWriteArrayList<>();
    /** The latest payments made, for reading back during the run (all are checked at the end). */
    private final String[] payments = new String[1024];
    private int paymentCount;
    int made;

    Account(String id, Browser owner, boolean limited, String secretKey, String publicKey, long now) {
        this.id = id;
        this.owner = owner;
        this.limited = limited;
        this.publicKey = new Key(publicKey, this, false, false, null, now);
        keys.add(new Key(secretKey, this, true, false, null, now));
    }

    Key anySecret() {
        List<Key> now = List.copyOf(keys);
        return now.get(ThreadLocalRandom.current().nextInt(now.size()));
    }

    synchronized void paid(String paymentId) {
        payments[paymentCount++ % payments.length] = paymentId;
    }

    synchronized String anyPayment() {
        int known = Math.min(paymentCount, payments.length);
        return known == 0 ? null : payments[ThreadLocalRandom.current().nextInt(known)];
    }
}
