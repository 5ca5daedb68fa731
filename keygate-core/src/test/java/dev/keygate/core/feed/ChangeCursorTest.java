package dev.keygate.core.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ChangeCursorTest {

    private static Change change(long sequence) {
        return new Change(sequence, "acct_0000000000000000", Optional.empty());
    }

    private static List<Change> changes(long... sequences) {
        return LongStream.of(sequences).mapToObj(ChangeCursorTest::change).toList();
    }

    @Test
    void unseenWhenChangesArriveInOrderThenEachPassedOnOnce() {
        ChangeCursor cursor = new ChangeCursor(0);
        assertThat(cursor.unseen(changes(1, 2, 3))).extracting(Change::sequence).containsExactly(1L, 2L, 3L);
        assertThat(cursor.readFrom()).isZero();
        assertThat(cursor.unseen(changes(1, 2, 3, 4))).extracting(Change::sequence).containsExactly(4L);
    }

    @Test
    void unseenWhenALowerSequenceCommitsLaterThenItIsStillPassedOn() {
        ChangeCursor cursor = new ChangeCursor(0);
        assertThat(cursor.unseen(changes(1, 3))).extracting(Change::sequence).containsExactly(1L, 3L);
        // 2 committed after 3 was read: the next read, from behind the highest, finds it.
        assertThat(cursor.unseen(changes(1, 2, 3))).extracting(Change::sequence).containsExactly(2L);
    }

    @Test
    void newCursorWhenStartedAfterExistingChangesThenThoseAreNotPassedOn() {
        ChangeCursor cursor = new ChangeCursor(500);
        assertThat(cursor.readFrom()).isEqualTo(500 - ChangeCursor.LOOKBACK);
        List<Change> reread = LongStream.rangeClosed(cursor.readFrom() + 1, 501).mapToObj(ChangeCursorTest::change)
                .toList();
        assertThat(cursor.unseen(reread)).extracting(Change::sequence).containsExactly(501L);
    }

    @Test
    void unseenWhenFeedMovesFarAheadThenMemoryStaysWithinTheLookback() {
        ChangeCursor cursor = new ChangeCursor(0);
        for (long sequence = 1; sequence <= 10_000; sequence++) {
            cursor.unseen(changes(sequence));
        }
        assertThat(cursor.readFrom()).isEqualTo(10_000 - ChangeCursor.LOOKBACK);
        assertThat(cursor.unseen(changes(10_000 - ChangeCursor.LOOKBACK + 1))).isEmpty();
    }
}
