package dev.keygate.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SharedClockTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

    @Test
    void instantWhenNeverSynchronizedThenLocalTime() {
        MutableClock local = new MutableClock(T0);
        assertThat(new SharedClock(local).instant()).isEqualTo(T0);
    }

    @Test
    void instantWhenDatabaseAheadThenShiftedByTheOffsetMeasuredAtTheRoundTripMidpoint() {
        MutableClock local = new MutableClock(T0);
        SharedClock shared = new SharedClock(local);

        // Asked at T0, answered at T0+10 ms: the database said T0+5 ms+3 s.
        shared.synchronize(T0.plusMillis(3_005), T0, T0.plusMillis(10));
        local.advance(Duration.ofMinutes(1));

        assertThat(shared.offsetMillis()).isEqualTo(3_000);
        assertThat(shared.instant()).isEqualTo(T0.plus(Duration.ofMinutes(1)).plusSeconds(3));
        assertThat(shared.millis()).isEqualTo(shared.instant().toEpochMilli());
    }

    @Test
    void instantWhenDatabaseBehindThenShiftedBack() {
        MutableClock local = new MutableClock(T0);
        SharedClock shared = new SharedClock(local);
        shared.synchronize(T0.minusSeconds(2), T0, T0);
        assertThat(shared.instant()).isEqualTo(T0.minusSeconds(2));
    }
}
