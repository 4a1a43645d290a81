package io.opcscraper.timescale.internal.schema;

import java.util.Locale;

/**
 * What {@code max.rows} bounds (the Writer's {@code row.cap.scope}): the whole table (the seed's
 * meaning), or each {@code clientid} on its own, so that every gateway of a fleet writing into one
 * table keeps its own newest {@code max.rows}.
 */
public enum RowCapScope {

    /** The table keeps at most max.rows rows, whoever wrote them: {@code limit_<table>_rows(max_rows)}. */
    TABLE,
    /**
     * Each clientid the writer writes keeps at most max.rows rows: {@code limit_<table>_rows(max_rows,
     * clientid)}, a DELETE of that clientid's older rows only (never {@code drop_chunks}, which would
     * take the other clients' rows of those chunks with it).
     */
    CLIENTID;

    /** The configuration value: {@code table} or {@code clientid}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope of a configuration value ({@link #id()}), e.g. {@code clientid}. */
    public static RowCapScope of(String id) {
        for (RowCapScope scope : values()) {
            if (scope.id().equals(id)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown row cap scope '" + id + "': table or clientid");
    }
}
