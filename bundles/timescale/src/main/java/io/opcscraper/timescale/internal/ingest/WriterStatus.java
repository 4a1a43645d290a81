package io.opcscraper.timescale.internal.ingest;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What a user can read about one writer: counters since start and the last error. */
public final class WriterStatus {

    final AtomicLong accepted = new AtomicLong();
    final AtomicLong written = new AtomicLong();
    final AtomicReference<String> lastError = new AtomicReference<>();

    public long accepted() {
        return this.accepted.get();
    }

    public long written() {
        return this.written.get();
    }

    public String lastError() {
        return this.lastError.get();
    }
}
