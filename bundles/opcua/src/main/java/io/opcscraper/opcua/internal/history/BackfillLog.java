package io.opcscraper.opcua.internal.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backfill's log lines: one INFO line per round that filled values ({@code history: filled 42 s
 * on 120 nodes, 5,040 values in 1.2 s}), gaps longer than the bound said once per round, nodes
 * without history said once each (the first three named), a reason to wait said once until it
 * changes, and when it is over. Rounds that stored nothing go to DEBUG.
 */
final class BackfillLog {

    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);

    private final String clientId;
    private final long maxSeconds;
    private int clamped;
    private long longestClamped;
    private final List<String> noHistory = new ArrayList<>();
    private String waitingFor;

    BackfillLog(String clientId, long maxSeconds) {
        this.clientId = clientId;
        this.maxSeconds = maxSeconds;
    }

    /** A gap longer than the bound (its older part stays empty). */
    void clamped(Gap gap) {
        this.clamped++;
        this.longestClamped = Math.max(this.longestClamped, gap.seconds());
    }

    void noHistory(String nodeId, String status) {
        this.noHistory.add(nodeId + " (" + status + ")");
    }

    /** The nodes found without history since the last report, in one WARN line. */
    void reportNoHistory() {
        if (this.noHistory.isEmpty()) {
            return;
        }
        LOG.warn("{}: history: {} nodes have no history the server gives us: {}{}; they are skipped until their"
                + " catalog entry changes", this.clientId, this.noHistory.size(),
                String.join(", ", this.noHistory.subList(0, Math.min(3, this.noHistory.size()))),
                this.noHistory.size() > 3 ? " and " + (this.noHistory.size() - 3) + " more" : "");
        this.noHistory.clear();
    }

    /** The end of a round: what it filled. */
    void round(List<Gap> windows, long values, long nanos) {
        if (this.clamped > 0) {
            LOG.info("{}: history: {} gaps were longer than history.backfill.max.s ({} s; the longest {} s): only"
                    + " their newest {} s are filled", this.clientId, this.clamped, this.maxSeconds,
                    this.longestClamped, this.maxSeconds);
            this.clamped = 0;
            this.longestClamped = 0;
        }
        long seconds = windows.stream().mapToLong(Gap::seconds).max().orElse(0);
        String line = String.format("%s: history: filled %,d s on %,d nodes, %,d values in %.1f s", this.clientId,
                seconds, windows.size(), values, nanos / 1e9);
        if (values > 0) {
            LOG.info(line);
        } else {
            LOG.debug(line);
        }
    }

    void waiting(String reason, int gaps, long delayMs) {
        if (!Objects.equals(reason, this.waitingFor)) {
            LOG.warn("{}: history: {}; {} gaps wait, trying again in {} ms (then backing off)", this.clientId, reason,
                    gaps, delayMs);
            this.waitingFor = reason;
        }
    }

    void recovered() {
        if (this.waitingFor != null) {
            LOG.info("{}: history: filling gaps again", this.clientId);
            this.waitingFor = null;
        }
    }

    void shrunk(String reason, int nodes) {
        LOG.info("{}: history: {}: HistoryRead requests shrink to {} nodes", this.clientId, reason, nodes);
    }
}
