package io.opcscraper.timescale.internal.ingest;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What a user can read about one writer: counters since start, the current error and the latest one with its time. */
public final class WriterStatus {

    /** A problem and when it began (the gateway's clock). */
    public record Problem(String text, Instant since) {
    }

    final AtomicLong accepted = new AtomicLong();
    final AtomicLong written = new AtomicLong();
    final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicReference<Problem> latest = new AtomicReference<>();

    public long accepted() {
        return this.accepted.get();
    }

    public long written() {
        return this.written.get();
    }

    public String lastError() {
        return this.lastError.get();
    }

    /** The writer cannot write ({@code reason}); returns the previous current error. */
    String fail(String reason) {
        note(reason);
        return this.lastError.getAndSet(reason);
    }

    /** A problem seen now (null: none): it becomes the latest problem, with the time, when its text is new. */
    void note(String problem) {
        if (problem != null) {
            this.latest.updateAndGet(p -> p != null && p.text().equals(problem) ? p : new Problem(problem, Instant.now()));
        }
    }

    /** The latest problem the writer had, current or not, or null. */
    public Problem latest() {
        return this.latest.get();
    }
}
