package io.opcscraper.timescale.internal.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of the writer's objects: the rule for a writer table's name (the one place it is
 * checked: {@link #requireValidTable}, {@link #reservedTableName}), the shared tables, the views,
 * procedures and indexes derived from a table's name, quoting, and the advisory-lock keys.
 *
 * <p>A valid table name is {@code [a-z_][a-z0-9_]{0,39}} and not {@linkplain #reservedTableName
 * reserved}; the names derived from it therefore stay within PostgreSQL's 63 characters and contain
 * no quote. Every identifier goes into SQL double-quoted ({@link #quote}).
 */
public final class TableNames {

    /** The longest writer table name. */
    public static final int MAX_TABLE_NAME = 40;
    /** The node catalog table, shared by every writer table in the database. */
    public static final String NODES_TABLE = "nodes";
    /** The exactly-once progress markers, shared by every writer table in the database. */
    public static final String PROGRESS_TABLE = "opcscraper_progress";
    /** Batches committed beyond a writer's marker while other batches were still in flight. */
    public static final String RANGES_TABLE = "opcscraper_progress_ranges";

    /** One row per writer: who it is and its figures, upserted once a minute (the fleet's health). */
    public static final String STATUS_TABLE = "opcscraper_status";

    /** The tables every writer table in the database shares: no writer table may take their names. */
    public static final Set<String> SHARED_TABLES = Set.of(NODES_TABLE, PROGRESS_TABLE, RANGES_TABLE, STATUS_TABLE);

    private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0," + (MAX_TABLE_NAME - 1) + "}");

    /**
     * The relations (views, indexes) the writer derives from a table name, group 1 the table:
     * a writer table of that name would collide with another writer table's objects.
     */
    private static final List<Pattern> DERIVED_RELATIONS = List.of(
            Pattern.compile("rolling_avg_([a-z_][a-z0-9_]*)1m"),
            Pattern.compile("rolling_avg_([a-z_][a-z0-9_]*)_5s"),
            Pattern.compile("rolling_count_([a-z_][a-z0-9_]*)_5s"),
            Pattern.compile("([a-z_][a-z0-9_]*)_nodeid_timestamp_idx"),
            Pattern.compile("([a-z_][a-z0-9_]*)_clientid_ts_idx"),
            Pattern.compile("([a-z_][a-z0-9_]*)_timestamp_idx"));

    private TableNames() {
    }

    /**
     * {@code table} if it is a valid writer table name, else an {@link IllegalArgumentException}
     * naming it: 1 to 40 characters of {@code a-z}, {@code 0-9} and {@code _}, not starting with a
     * digit, and not {@linkplain #reservedTableName reserved}.
     */
    public static String requireValidTable(String table) {
        if (table == null) {
            throw new IllegalArgumentException("table name is missing (null)");
        }
        String problem = tableNameProblem(table);
        if (problem != null) {
            throw new IllegalArgumentException("invalid table name " + printable(table) + ": " + problem);
        }
        return table;
    }

    /**
     * Why {@code table} cannot be a writer table, or {@code null}: the one rule, used by the
     * Writer's {@code table.name} check and everywhere a name is turned into SQL. Reserved names are
     * told first (in any case), so "NODES" is told it is reserved, not only mis-cased.
     */
    public static String tableNameProblem(String table) {
        String reserved = reservedTableName(table);
        if (reserved != null) {
            return reserved;
        }
        return TABLE_NAME.matcher(table).matches() ? null
                : "must be 1 to " + MAX_TABLE_NAME + " characters of a-z, 0-9 and _, not starting with a digit";
    }

    /**
     * Why {@code table} (compared in lower case) cannot be a writer table although it may have
     * the right form, or {@code null}: the name of a table every writer table shares
     * ({@value #NODES_TABLE}, {@value #PROGRESS_TABLE}, {@value #RANGES_TABLE}, {@value #STATUS_TABLE}),
     * or of a view or
     * an index the writer derives from another table's name ({@code rolling_avg_<t>1m},
     * {@code rolling_avg_<t>_5s}, {@code rolling_count_<t>_5s}, {@code <t>_timestamp_idx},
     * {@code <t>_nodeid_timestamp_idx}), since tables, views and indexes share one namespace.
     * The form itself ({@code [a-z_][a-z0-9_]{0,39}}) is checked separately.
     */
    public static String reservedTableName(String table) {
        String name = table.trim().toLowerCase(Locale.ROOT);
        if (SHARED_TABLES.contains(name)) {
            return "is reserved: the writer's shared tables are " + NODES_TABLE + ", " + PROGRESS_TABLE + ", "
                    + RANGES_TABLE + " and " + STATUS_TABLE;
        }
        for (Pattern derived : DERIVED_RELATIONS) {
            Matcher m = derived.matcher(name);
            if (m.matches() && TABLE_NAME.matcher(m.group(1)).matches()) {
                return "is reserved: the writer gives that name to a view or index of table " + m.group(1);
            }
        }
        return null;
    }

    /** {@code identifier} as a double-quoted SQL identifier. */
    public static String quote(String identifier) {
        Objects.requireNonNull(identifier, "identifier");
        if (identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not an SQL identifier: " + printable(identifier));
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The 1-minute average aggregate: {@code rolling_avg_<table>1m}. */
    public static String avg1mView(String table) {
        return "rolling_avg_" + requireValidTable(table) + "1m";
    }

    /** The 5-second average aggregate: {@code rolling_avg_<table>_5s}. */
    public static String avg5sView(String table) {
        return "rolling_avg_" + requireValidTable(table) + "_5s";
    }

    /** The 5-second sample-count aggregate: {@code rolling_count_<table>_5s}. */
    public static String count5sView(String table) {
        return "rolling_count_" + requireValidTable(table) + "_5s";
    }

    /** The three aggregates: 1-minute average, 5-second average, 5-second count. */
    public static List<String> aggregateNames(String table) {
        return List.of(avg1mView(table), avg5sView(table), count5sView(table));
    }

    /** The row-cap procedure {@code limit_<table>_rows(max_rows bigint)}. */
    public static String rowCapProcedure(String table) {
        return "limit_" + requireValidTable(table) + "_rows";
    }

    /** The community edition's job procedure {@code limit_<table>_rows_job(job_id int, config jsonb)}. */
    public static String rowCapJobProcedure(String table) {
        return rowCapProcedure(table) + "_job";
    }

    /** The index on ("timestamp" DESC) (the row cap's cutoff and chunk exclusion use it). */
    public static String timeIndex(String table) {
        return requireValidTable(table) + "_timestamp_idx";
    }

    /** The index on (nodeid, "timestamp" DESC). */
    public static String nodeTimeIndex(String table) {
        return requireValidTable(table) + "_nodeid_timestamp_idx";
    }

    /**
     * The index on (clientid, "timestamp" DESC), created when a writer caps the table per clientid
     * ({@link RowCapScope#CLIENTID}): each clientid's cutoff is an index scan of its own rows. Its
     * suffix {@code _clientid_ts_idx} is no other derived name's: a table named {@code <t>_clientid}
     * has the time index {@code <t>_clientid_timestamp_idx}, not this one.
     */
    public static String clientIdTimeIndex(String table) {
        return requireValidTable(table) + "_clientid_ts_idx";
    }

    /**
     * The advisory-lock key of the row cap of {@code table} ({@code "opcscraper:rowcap:" + table}): a
     * table-wide cap takes it exclusively, a per-clientid cap shares it, so a table-wide cap never
     * runs beside a per-clientid one.
     */
    public static long rowCapLockKey(String table) {
        return key("opcscraper:rowcap:" + requireValidTable(table));
    }

    /**
     * The first key of the two-key advisory lock of one clientid's row cap of {@code table} (the
     * second is {@code hashtext(clientid)}): caps of one clientid run one at a time, those of
     * different clientids side by side. Two-key locks are a key space of their own in PostgreSQL.
     */
    public static int clientRowCapLockSpace(String table) {
        return (int) (key("opcscraper:rowcap-clientid:" + requireValidTable(table)) >>> 32);
    }

    /** The advisory-lock key of provisioning {@code table}: derived from {@code "opcscraper:" + table}. */
    public static long lockKey(String table) {
        return key("opcscraper:" + requireValidTable(table));
    }

    /** The advisory-lock key of the objects every writer table shares (extension, nodes, progress). */
    public static long sharedLockKey() {
        return key("opcscraper:*shared*"); // '*' cannot occur in a table name
    }

    /** The first 8 bytes of SHA-256 of {@code text} (UTF-8), big-endian: the same in every JVM. */
    private static long key(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (d[i] & 0xff);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }


    /** A string literal of a validated name (no quote, no backslash: nothing to escape). */
    public static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** The regclass argument of a TimescaleDB function: {@code '"name"'}. */
    public static String regclass(String name) {
        return literal(quote(name));
    }

    /** {@code s} quoted for a message, control characters escaped and overlong input cut. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(s.length(), 100);
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        if (s.length() > n) {
            sb.append("...(").append(s.length()).append(" characters)");
        }
        return sb.append('"').toString();
    }
}
