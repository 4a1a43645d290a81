package io.opcscraper.itests.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What a component logs, for tests that check a log line. The tests log through slf4j-simple,
 * which writes to whatever {@link System#err} is at each call (it does not cache the stream), so
 * this replaces System.err with a copy that still reaches the original. Close it to restore.
 */
public final class LogCapture implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    public LogCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (LogCapture.this.captured) {
                    LogCapture.this.captured.write(b);
                }
                LogCapture.this.original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (LogCapture.this.captured) {
                    LogCapture.this.captured.write(b, off, len);
                }
                LogCapture.this.original.write(b, off, len);
            }

            @Override
            public void flush() {
                LogCapture.this.original.flush();
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Everything logged since this capture began. */
    public String text() {
        synchronized (this.captured) {
            return this.captured.toString(StandardCharsets.UTF_8);
        }
    }

    /** The first line logged since this capture began that contains {@code part}, or null. */
    public String line(String part) {
        for (String line : text().split("\n")) {
            if (line.contains(part)) {
                return line;
            }
        }
        return null;
    }

    @Override
    public void close() {
        System.setErr(this.original);
    }
}
