package io.opcscraper.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole benchmark, small: 200 tags at 1 Hz, raw bounds of 2 s, a 5 s window. Starts the built simulator
 * and gateway (.dp installed into the Kura 5.5 profile) as processes and writes into the local TimescaleDB
 * (scripts/test starts it; TIMESCALE_URL, TIMESCALE_USER, TIMESCALE_PASSWORD name another). The result line
 * must be printed, every value the poller read must be in the table exactly once, and no child process may
 * be left behind.
 */
class BenchSmokeTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Pattern RESULT_LINE = Pattern.compile("(?m)^bench: run=\\S+ tags=200 rate=1Hz mode=poll "
        + "seconds=\\d+ offered=200/s changes_per_s=\\d+ committed=\\d+/s copy_bound=\\d+/s milo_bound=\\d+/s .* lost=0 duplicates=0 .*"
        + "sustained=(yes|no)( spool_mode=\\S+ .*)?$");

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aSmallRunStoresEveryValueTheGatewayReadExactlyOnce() throws Exception {
        Path work = MODULE.resolve("target/smoke");
        Path results = work.resolve("results.md");
        Files.deleteIfExists(results);
        BenchOptions options = BenchOptions.parse("--repo", MODULE.getParent().toString(), "--tags", "200", "--rate",
            "1", "--seconds", "5", "--warmup", "2", "--bound-seconds", "2", "--out", results.toString(), "--work",
            work.resolve("runs").toString());

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        List<RunResult> done;
        try {
            done = Bench.run(options);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);

        assertEquals(1, done.size(), "the run did not complete:\n" + output);
        RunResult result = done.get(0);
        assertTrue(RESULT_LINE.matcher(output).find(), "no result line of the expected form in:\n" + output);
        assertTrue(result.rows() > 0, "no rows stored: " + result.line());
        assertEquals(0, result.lost(), "values read but not stored: " + result.line());
        assertEquals(result.read(), result.rows(), "rows stored != values read: " + result.line());
        assertEquals(200, result.distinctNodes(), "every sensor variable, and only those: " + result.line());
        assertTrue(result.windowRows() > 0, "nothing committed in the window: " + result.line());
        assertTrue(result.committedAtIntact(), "the writer's provisioning changed committed_at");
        assertTrue(Files.readString(results).contains("| 200 | 1 | poll |"), "no markdown row in " + results);
        // The simulator and the gateway are gone (a child still stopping is given a moment).
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
    }

    /** {@code --structures}, small: both halves complete, store what they read, and give a ratio. */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aSmallStructureRunComparesStructuresWithScalars() throws Exception {
        Path work = MODULE.resolve("target/smoke-structures");
        Path results = work.resolve("results.md");
        Files.deleteIfExists(work.resolve("structures.md"));
        BenchOptions options = BenchOptions.parse("--repo", MODULE.getParent().toString(), "--structures", "--tags",
            "100", "--rate", "1", "--seconds", "5", "--warmup", "2", "--out", results.toString(), "--work",
            work.resolve("runs").toString());
        List<StructureRun.Result> done = Bench.runStructures(options);
        assertEquals(1, done.size(), "the run did not complete");
        StructureRun.Result result = done.get(0);
        assertTrue(result.scalars().read() > 0 && result.scalars().read() == result.scalars().written(), result.line());
        assertTrue(result.structures().read() > 0 && result.structures().read() == result.structures().written(),
            result.line());
        assertTrue(result.structures().read() % 5 == 0, "five rows per structure value: " + result.line());
        assertTrue(result.ratio() > 0 && Double.isFinite(result.ratio()), result.line());
        assertTrue(Files.readString(work.resolve("structures.md")).contains("| 100 | 1 | poll |"), "no markdown row");
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
