package io.opcscraper.timescale.grafana;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A panel's SQL as Grafana's PostgreSQL data source sends it to the database, for running it in a
 * test (Grafana itself cannot be installed here): first the template variables as Grafana's front
 * end interpolates them for SQL data sources (a multi-value or include-all variable as a
 * comma-separated list of single-quoted literals, quotes doubled; a single value as it is, quotes
 * doubled; {@code $__interval}, {@code $__interval_ms}), then the data source's macros as its
 * back end expands them (pkg/tsdb/grafana-postgresql-datasource/macros.go: {@code $__time},
 * {@code $__timeEpoch}, {@code $__timeFilter}, {@code $__timeFrom}, {@code $__timeTo},
 * {@code $__timeGroup}, {@code $__timeGroupAlias}, {@code $__unixEpochFilter}, {@code $__unixEpochFrom},
 * {@code $__unixEpochTo}), with its TimescaleDB option ({@code $__timeGroup} as {@code time_bucket}).
 */
final class GrafanaSql {

    /** A variable's current value(s); {@code list}: multi-value or include-all (quoted list). */
    record Value(List<String> values, boolean list) {
        static Value single(String value) {
            return new Value(List.of(value), false);
        }

        static Value all(List<String> values) {
            return new Value(List.copyOf(values), true);
        }
    }

    /** What the expansion depends on: the time range, Grafana's interval, the TimescaleDB option. */
    record Context(Instant from, Instant to, Duration interval, boolean timescaledb, Map<String, Value> variables) {
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)|\\[\\[(\\w+?)(?::(\\w+))?\\]\\]|\\$\\{(\\w+)(?::(\\w+))?\\}");
    private static final Pattern MACRO = Pattern.compile("\\$([_a-zA-Z0-9]+)\\(([^\\)]*)\\)");
    private static final Pattern INTERVAL = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private GrafanaSql() {
    }

    /** {@code sql} with its variables and macros expanded. */
    static String expand(String sql, Context context) {
        return macros(variables(sql, context), context);
    }

    static String variables(String sql, Context context) {
        String interval = formatInterval(context.interval());
        Matcher m = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(4);
            String replacement;
            if (name.equals("__interval")) {
                replacement = interval;
            } else if (name.equals("__interval_ms")) {
                replacement = Long.toString(context.interval().toMillis());
            } else if (context.variables().containsKey(name)) {
                Value v = context.variables().get(name);
                replacement = v.list()
                        ? v.values().stream().map(GrafanaSql::quoteLiteral).collect(Collectors.joining(","))
                        : v.values().get(0).replace("'", "''");
            } else {
                replacement = m.group(); // a macro ($__timeFilter...) or no variable of ours
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String macros(String sql, Context context) {
        Matcher m = MACRO.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            // As Grafana: a $__timeGroup directly followed by a comma is the old form of $__timeGroupAlias.
            if (name.equals("__timeGroup") && m.end() < sql.length() && sql.charAt(m.end()) == ',') {
                name = "__timeGroupAlias";
            }
            String[] args = m.group(2).split(",");
            for (int k = 0; k < args.length; k++) {
                args[k] = args[k].trim();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(macro(name, args, context)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String macro(String name, String[] args, Context c) {
        String from = "'" + DateTimeFormatter.ISO_INSTANT.format(c.from()) + "'";
        String to = "'" + DateTimeFormatter.ISO_INSTANT.format(c.to()) + "'";
        switch (name) {
            case "__time":
                return args[0] + " AS \"time\"";
            case "__timeEpoch":
                return "extract(epoch from " + args[0] + ") as \"time\"";
            case "__timeFilter":
                return args[0] + " BETWEEN " + from + " AND " + to;
            case "__timeFrom":
                return from;
            case "__timeTo":
                return to;
            case "__timeGroup": {
                if (args.length < 2) {
                    throw new IllegalArgumentException("macro $__timeGroup needs a column and an interval");
                }
                BigDecimal seconds = BigDecimal.valueOf(parseInterval(args[1].replace("'", "")).toMillis())
                        .movePointLeft(3);
                if (c.timescaledb()) {
                    return "time_bucket('" + seconds.setScale(3) + "s'," + args[0] + ")";
                }
                String s = seconds.stripTrailingZeros().toPlainString();
                return "floor(extract(epoch from " + args[0] + ")/" + s + ")*" + s;
            }
            case "__timeGroupAlias":
                return macro("__timeGroup", args, c) + " AS \"time\"";
            case "__unixEpochFilter":
                return args[0] + " >= " + c.from().getEpochSecond() + " AND " + args[0] + " <= " + c.to().getEpochSecond();
            case "__unixEpochFrom":
                return Long.toString(c.from().getEpochSecond());
            case "__unixEpochTo":
                return Long.toString(c.to().getEpochSecond());
            default:
                throw new IllegalArgumentException("unknown macro $" + name);
        }
    }

    /** Grafana's interval text: 500ms, 10s, 1m, 2h. */
    static String formatInterval(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    static Duration parseInterval(String text) {
        Matcher m = INTERVAL.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Grafana interval: " + text);
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            default:
                return Duration.ofDays(n);
        }
    }

    private static String quoteLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
