package dev.keygate.core;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock of a shared database, read through this node's own: every node of a cluster judges
 * expiry (grace periods, codes, sessions) by one clock, the database's, not by its own, which may
 * drift (issue 5). {@link #synchronize} measures the offset from a reading of the database's time;
 * until then, and on a node without a shared database, it is the local clock.
 */
public final class SharedClock extends Clock {

    private final Clock local;
    private volatile long offsetMillis;

    public SharedClock(Clock local) {
        this.local = local;
    }

    /**
     * Sets the offset from a reading of the shared clock taken between {@code sentAt} and
     * {@code receivedAt} on the local clock (the midpoint stands for the moment of the reading).
     */
    public void synchronize(Instant shared, Instant sentAt, Instant receivedAt) {
        long midpoint = (sentAt.toEpochMilli() + receivedAt.toEpochMilli()) / 2;
        offsetMillis = shared.toEpochMilli() - midpoint;
    }

    /** How far the shared clock is ahead of the local one, in milliseconds. */
    public long offsetMillis() {
        return offsetMillis;
    }

    @Override
    public Instant instant() {
        return local.instant().plusMillis(offsetMillis);
    }

    @Override
    public long millis() {
        return local.millis() + offsetMillis;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a shared clock is always UTC");
    }
}
