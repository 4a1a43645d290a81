package io.opcscraper.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Everything one run measured, and its two renderings: the fixed-format result line and a markdown table
 * row. Rates are per second; latencies in seconds here, printed in ms; NaN where not measured (bounds
 * skipped).
 *
 * @param windowRows rows whose committed_at falls in the window
 * @param read values the poller read (the gateway's summary {@code read=})
 * @param written rows the writer committed (summary {@code written=})
 * @param rows rows in the table after the gateway stopped (count(*))
 * @param repeats rows sharing (nodeid, "timestamp") with another row, beyond the first (see BenchTable.Repeats)
 * @param served values the simulator served while the gateway ran (stats {@code served}, the bounds excluded)
 * @param changes value changes the plant produced while the gateway ran (stats {@code changes})
 * @param spoolAtEnd samples waiting in the spool at the end of the window (status line)
 * @param unflushed samples still in the spool when the gateway had stopped (summary {@code spooled=}): durable on
 *        disk and written at the gateway's next start, but not in the table when it is counted
 * @param backlogGrowth how fast the spool backlog grew during the window, samples a second (GatewayProcess)
 * @param changesPerSecond value changes the plant produced a second during the window (simulator stats)
 * @param copyCpu CPU during the COPY bound (null: skipped)
 * @param miloCpu CPU during the Milo bound (null: skipped)
 * @param flash disk writes, forces, live heap and threads of the gateway (issue 13; null: not measured)
 * @param footprint CPU per 1,000 samples/s, allocation per sample, GC of the gateway (issue 13; null: not measured)
 */
record RunResult(String runId, RunSpec spec, Instant started, String machine, String gatewayJvm, String database,
                 double copyBound, double miloBound, int miloChunk, double windowSeconds, long windowRows,
                 double p50, double p99, double maxLatency, long read, long written, long rows, long repeats,
                 long distinctNodes, long notGood, long served, long changes, CpuUsage cpu, CpuUsage copyCpu,
                 CpuUsage miloCpu, double rssPeakMb,
                 double rssHighWaterMb, HeapInfo heap, long spoolAtEnd, long unflushed, double backlogGrowth, double changesPerSecond, long skippedPolls,
                 boolean committedAtIntact,
                 String load, Flash.Figures flash, Footprint footprint) {

    /**
     * What the gateway should store a second: poll mode reads every tag every period, changed or not (tags x rate);
     * subscribe mode gets a value only when it changes (Running changes rarely), so the plant's measured value
     * changes a second.
     */
    double offeredPerSecond() {
        return "subscribe".equals(spec.mode()) ? changesPerSecond : spec.offeredPerSecond();
    }

    double committedPerSecond() {
        return windowRows / windowSeconds;
    }

    /** Values the poller read that are neither in the table nor left in the spool. */
    long lost() {
        return Math.max(0, read - rows - unflushed);
    }

    /** Rows beyond what was read: stored twice (0 when exactly once holds). */
    long duplicates() {
        return Math.max(0, rows - read);
    }

    double ratioToCopy() {
        return committedPerSecond() / copyBound;
    }

    double ratioToMilo() {
        return committedPerSecond() / miloBound;
    }

    /**
     * Kept up: at least 95 % of the offered values a second committed in the window, the spool backlog not growing
     * (by less than 2 % of the offered rate), nothing lost or duplicated, nothing left in the spool at the stop.
     */
    boolean sustained() {
        return committedPerSecond() >= 0.95 * offeredPerSecond() && lost() == 0 && duplicates() == 0
            && unflushed == 0 && !(backlogGrowth > 0.02 * offeredPerSecond());
    }

    /** The fixed-format result line. */
    String line() {
        return String.format(Locale.ROOT, "bench: run=%s tags=%d rate=%sHz mode=%s seconds=%.0f offered=%.0f/s "
                + "changes_per_s=%.0f committed=%.0f/s copy_bound=%s/s milo_bound=%s/s e2e_vs_copy=%s e2e_vs_milo=%s p50_ms=%s p99_ms=%s "
                + "max_ms=%s read=%d written=%d rows=%d lost=%d duplicates=%d repeats=%d served=%d changes=%d "
                + "cpu_gateway=%.0f%% cpu_simulator=%.0f%% cpu_postgres=%.0f%% cpu_machine=%.0f%% cpu_other=%.0f%% "
                + "rss_peak_mb=%.0f rss_hwm_mb=%.0f heap_used_mb=%.0f heap_committed_mb=%.0f spool_at_end=%d "
                + "backlog_growth=%.0f/s unflushed=%d skipped_polls=%d copy_bound_cpu_postgres=%s milo_bound_cpu_simulator=%s sustained=%s",
            runId, spec.tags(), spec.rateText(), spec.mode(), windowSeconds, offeredPerSecond(),
            changesPerSecond, committedPerSecond(), rate(copyBound), rate(miloBound), ratio(ratioToCopy()), ratio(ratioToMilo()),
            ms(p50), ms(p99), ms(maxLatency), read, written, rows, lost(), duplicates(), repeats, served, changes,
            cpu.gateway(), cpu.simulator(), cpu.postgres(), cpu.machine(), cpu.other(), rssPeakMb, rssHighWaterMb,
            heap.usedMb(), heap.committedMb(), spoolAtEnd, backlogGrowth, unflushed, skippedPolls,
            copyCpu == null ? "-" : Math.round(copyCpu.postgres()) + "%",
            miloCpu == null ? "-" : Math.round(miloCpu.simulator()) + "%", sustained() ? "yes" : "no")
            + flashFields()
            + (footprint == null ? "" : footprint.fields(cpu.gateway(), committedPerSecond(), windowSeconds));
    }

    /**
     * Issue 13's fields of the result line: the writer's spool mode, the gateway's bytes written to disk per committed
     * sample and a day at this rate, fsyncs a second (- without --syscalls), live heap and threads (and the idle
     * peer's).
     */
    String flashFields() {
        if (flash == null) {
            return "";
        }
        return String.format(Locale.ROOT, " spool_mode=%s write_bytes=%d bytes/sample=%s wchar/sample=%s bytes/day=%.0f "
                + "fsyncs/s=%s live_heap_mb=%.1f peer_live_heap_mb=%s ours_heap_mb=%s heap_mb_per_1000_tags=%s "
                + "threads=%d peer_threads=%s load=%s",
            spec.spoolMode() == null ? "default" : spec.spoolMode(), flash.io().writeBytes(),
            Flash.num(flash.bytesPerSample(windowRows), 1), Flash.num(flash.wcharPerSample(windowRows), 0),
            flash.bytesPerDay(windowSeconds), Flash.num(flash.forcesPerSecond(), 2), flash.liveHeap().usedMb(),
            flash.peerLiveHeap() == null ? "-" : Flash.num(flash.peerLiveHeap().usedMb(), 1),
            Flash.num(flash.ourHeapMb(), 1), Flash.num(flash.ourHeapMb() / (spec.tags() / 1000.0), 2), flash.threads(),
            flash.peerLiveHeap() == null ? "-" : Integer.toString(flash.peerThreads()), load.replace(' ', '/'));
    }

    static String markdownHeader() {
        return "| date (UTC) | machine | gateway JVM | tags | rate Hz | mode | s | offered/s | committed/s | COPY bound/s "
            + "| Milo read bound/s | e2e/COPY | e2e/Milo | p50 ms | p99 ms | read | rows | lost | dup | served "
            + "| CPU gateway | CPU sim | CPU postgres | CPU machine (other) | peak RSS MB | heap used MB | sustained |"
            + System.lineSeparator()
            + "|---|---|---|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|---|";
    }

    String markdownRow() {
        return String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %.0f | %.0f | %.0f | %s | %s | %s | %s | %s "
                + "| %s | %d | %d | %s | %d | %d | %.0f%% | %.0f%% | %.0f%% | %.0f%% (%.0f%%) | %.0f | %.0f | %s |",
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC).format(started), machine,
            gatewayJvm, spec.tags(), spec.rateText(), spec.mode(), windowSeconds, offeredPerSecond(),
            committedPerSecond(), rate(copyBound), miloBound > 0 ? rate(miloBound) + " (" + miloChunk + "/Read)" : "-",
            ratio(ratioToCopy()), ratio(ratioToMilo()), ms(p50), ms(p99), read, rows,
            lost() + (unflushed > 0 ? " (+" + unflushed + " left in spool)" : ""), duplicates(), served,
            cpu.gateway(), cpu.simulator(), cpu.postgres(), cpu.machine(), cpu.other(), rssPeakMb, heap.usedMb(),
            sustained() ? "yes" : "no");
    }

    private static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "-" : String.format(Locale.ROOT, "%.0f", perSecond);
    }

    private static String ratio(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String ms(double seconds) {
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.0f", seconds * 1000);
    }
}
