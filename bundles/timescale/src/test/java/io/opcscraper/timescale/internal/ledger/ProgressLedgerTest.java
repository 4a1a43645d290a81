package io.opcscraper.timescale.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opcscraper.timescale.internal.db.WriteFailure;
import io.opcscraper.timescale.internal.spool.LongRanges;

/** The ledger against a fake database boundary: what it holds, what a connect decides, where the marker moves. */
class ProgressLedgerTest {

    /** A database's progress tables in memory, with the store's rules. */
    static final class FakeStore implements LedgerStore {
        boolean present;
        long marker;
        final LongRanges ranges = new LongRanges();
        int advances;

        FakeStore() {
        }

        FakeStore(long marker, long... rangePairs) {
            this.present = true;
            this.marker = marker;
            for (int i = 0; i < rangePairs.length; i += 2) {
                this.ranges.add(rangePairs[i], rangePairs[i + 1]);
            }
        }

        @Override
        public Recorded read(Connection main) {
            return new Recorded(this.present, this.marker, this.ranges.copy());
        }

        @Override
        public void advance(Connection main, long next) throws WriteFailure {
            if (this.present && this.marker >= next) {
                throw WriteFailure.alreadyCommitted("marker already at " + this.marker);
            }
            this.present = true;
            this.marker = next;
            this.ranges.remove(Long.MIN_VALUE, next);
            this.advances++;
        }

        @Override
        public void recordRange(Connection batch, long first, long last) throws WriteFailure {
            if (this.marker >= first || this.ranges.countBetween(first, last) > 0) {
                throw WriteFailure.alreadyCommitted(first + ".." + last);
            }
            this.ranges.add(first, last);
        }
    }

    @Test
    void theDatabaseTheWriterWroteToLastIsTheTruthAndItsRangesAreSkipped() throws Exception {
        FakeStore db = new FakeStore(1_000, 2_001, 3_000);
        ProgressLedger ledger = new ProgressLedger(db);
        ProgressLedger.Start start = ledger.connect(null, 1_000, 5_000, 1, 4_000);
        assertTrue(start.sameTarget());
        assertEquals(1_000, start.marker());
        assertTrue(start.inDoubt().isEmpty(), "the database says what committed: nothing in doubt");
        assertFalse(ledger.isCommitted(1_001));
        assertTrue(ledger.isCommitted(2_500));
        assertEquals(4_000 - 1_000 - 1_000, ledger.waiting(1, 4_000));
    }

    /** A kill between the database's commit and the local record: the database is ahead, and right. */
    @Test
    void aDatabaseAheadOfTheLocalRecordIsTheSameTarget() throws Exception {
        FakeStore db = new FakeStore(3_000);
        ProgressLedger ledger = new ProgressLedger(db);
        ProgressLedger.Start start = ledger.connect(null, 2_000, 3_500, 1, 3_500);
        assertTrue(start.sameTarget());
        assertEquals(3_000, start.marker());
        assertEquals(-1, ledger.advance(null, 1), "nothing to move: the database is where the writer stands");
        assertEquals(0, db.advances);
    }

    @Test
    void aNewDatabaseGetsOnlyWhatNoDatabaseCommittedAndIsToldWhereItStarts() throws Exception {
        FakeStore fresh = new FakeStore();
        ProgressLedger ledger = new ProgressLedger(fresh);
        ProgressLedger.Start start = ledger.connect(null, 5_000, 5_000, 4_097, 5_200);
        assertFalse(start.sameTarget());
        assertEquals(5_000, start.marker(), "the committed watermark, not the spool's first sequence");
        assertTrue(start.inDoubt().isEmpty(), "a clean stop settled what was sent");
        assertTrue(ledger.isCommitted(4_500), "committed elsewhere: never written here");
        assertEquals(200, ledger.waiting(4_097, 5_200));
        assertEquals(5_000, ledger.advance(null, 4_097), "the new database's marker is created at once");
        assertEquals(5_000, fresh.marker);
    }

    @Test
    void aDatabaseTheWriterLeftForAnotherIsBehindTheRecordAndIsNotTheTruth() throws Exception {
        FakeStore left = new FakeStore(800);
        ProgressLedger ledger = new ProgressLedger(left);
        ProgressLedger.Start start = ledger.connect(null, 5_000, 5_000, 4_097, 5_000);
        assertFalse(start.sameTarget());
        assertEquals(5_000, start.marker());
        assertEquals(5_000, ledger.advance(null, 4_097));
        assertEquals(5_000, left.marker);
    }

    /** Sent without an answer, then a new database: written there, and said to be possibly in the old one. */
    @Test
    void whatWasSentWithoutAnAnswerIsInDoubtAtANewDatabase() throws Exception {
        ProgressLedger ledger = new ProgressLedger(new FakeStore());
        // committed 5,000; sent up to 6,000 + look-ahead 20,000; the spool held up to 6,000 at open.
        ProgressLedger.Start start = ledger.connect(null, 5_000, 26_000, 4_097, 6_000);
        assertEquals(List.of(5_001L, 6_000L, 1_000L),
                List.of(start.inDoubt().first(), start.inDoubt().last(), start.inDoubt().count()));
        assertFalse(ledger.isCommitted(5_001), "written here: nothing is lost");
    }

    @Test
    void aDatabaseWithoutMarkerAndNoLocalRecordStartsAtTheSpool() throws Exception {
        ProgressLedger ledger = new ProgressLedger(new FakeStore());
        ProgressLedger.Start start = ledger.connect(null, 0, 0, 301, 700);
        assertEquals(300, start.marker(), "what the spool released is owed to no one");
        assertTrue(start.inDoubt().isEmpty());
    }

    @Test
    void theMarkerMovesOverContiguousRangesButNeverOverABatchInFlight() throws Exception {
        FakeStore db = new FakeStore(0);
        ProgressLedger ledger = new ProgressLedger(db);
        ledger.connect(null, 0, 0, 1, 0);
        ledger.dispatched(1, 100);
        ledger.dispatched(101, 200);
        ledger.dispatched(201, 300);
        ledger.ended(101, 200);
        ledger.committed(ranges(101, 200));
        ledger.ended(201, 300);
        ledger.committed(ranges(201, 300));
        assertEquals(-1, ledger.advance(null, 1), "1..100 is in flight");
        assertEquals(100, ledger.waiting(1, 300), "1..100 waits, 101..300 committed");
        ledger.ended(1, 100);
        ledger.committed(ranges(1, 100));
        assertEquals(300, ledger.advance(null, 1));
        assertEquals(300, db.marker);
        assertTrue(ledger.committedBeyond().isEmpty());
        assertEquals(0, ledger.waiting(1, 300));
    }

    @Test
    void theMarkerPassesWhatTheSpoolNoLongerHoldsButStopsAtAGap() throws Exception {
        FakeStore db = new FakeStore(100);
        ProgressLedger ledger = new ProgressLedger(db);
        ledger.connect(null, 100, 100, 101, 600);
        ledger.dispatched(451, 500);
        ledger.ended(451, 500);
        ledger.committed(ranges(451, 500));
        assertEquals(400, ledger.advance(null, 401), "dropped 101..400: passed");
        assertEquals(-1, ledger.advance(null, 401), "401..450 never committed: a gap");
        ledger.committed(ranges(401, 450));
        assertEquals(500, ledger.advance(null, 401));
    }

    @Test
    void anotherSessionThatMovedTheMarkerIsAFailureToReReadNotToIgnore() throws Exception {
        FakeStore db = new FakeStore(100);
        ProgressLedger ledger = new ProgressLedger(db);
        ledger.connect(null, 100, 100, 1, 200);
        ledger.committed(ranges(101, 200));
        db.marker = 250; // a killed gateway's session committed meanwhile
        WriteFailure failure = assertThrows(WriteFailure.class, () -> ledger.advance(null, 1));
        assertEquals(WriteFailure.Kind.ALREADY_COMMITTED, failure.kind());
        assertEquals(200, ledger.attempted(), "the attempt is remembered: it may have committed");
        ProgressLedger.Start again = ledger.connect(null, 100, 100, 1, 200);
        assertEquals(250, again.marker());
    }

    private static LongRanges ranges(long first, long last) {
        LongRanges ranges = new LongRanges();
        ranges.add(first, last);
        return ranges;
    }
}
