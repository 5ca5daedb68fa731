package dev.keygate.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The journal keeps what a node accepted during an outage for as long as it counts in the window. */
class OutageJournalTest {

    private final MutableClock clock = MutableClock.atEpochSecond(1_800_000_000L);

    @Test
    void drainWhenRecordedThenAgesPerBucketAndTheJournalIsEmpty() {
        OutageJournal journal = new OutageJournal(clock, 100);
        journal.record("a:test");
        clock.advance(Duration.ofSeconds(2));
        journal.record("a:test");
        journal.record("b:live");
        clock.advance(Duration.ofMillis(500));

        JournalBatch batch = journal.drain();

        assertThat(batch.ages("a:test")).containsExactly(2_500, 500);
        assertThat(batch.ages("b:live")).containsExactly(500);
        assertThat(journal.size()).isZero();
        assertThat(journal.drain().isEmpty()).isTrue();
    }

    @Test
    void drainWhenAnEntryLeftTheWindowThenItIsNotTaken() {
        OutageJournal journal = new OutageJournal(clock, 100);
        journal.record("a:test");
        clock.advance(Duration.ofSeconds(30));
        journal.record("a:test");
        clock.advance(Duration.ofSeconds(30));

        assertThat(journal.drain().ages("a:test")).containsExactly(30_000);
    }

    @Test
    void putBackWhenAMergeFailedThenTheEntriesAreKeptForTheNextOne() {
        OutageJournal journal = new OutageJournal(clock, 100);
        journal.record("a:test");
        JournalBatch failed = journal.drain();
        clock.advance(Duration.ofSeconds(1));
        journal.record("a:test");

        journal.putBack(failed);

        assertThat(journal.size()).isEqualTo(2);
        assertThat(journal.drain().ages("a:test")).containsExactly(1_000, 0);
    }

    @Test
    void recordWhenFullThenExpiredEntriesMakeRoomAndOtherwiseTheEntryIsDroppedAndCounted() {
        OutageJournal journal = new OutageJournal(clock, 2);
        journal.record("a:test");
        clock.advance(Duration.ofSeconds(59));
        assertThat(journal.record("b:test")).isTrue();
        assertThat(journal.record("c:test")).as("full").isFalse();
        assertThat(journal.dropped()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(journal.record("c:test")).as("a's entry left the window").isTrue();
        assertThat(journal.size()).isEqualTo(2);
    }
}
