package io.opcscraper.config;

import java.util.Locale;
import java.util.regex.Pattern;

import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/**
 * Checks shared by the options classes. Each returns {@code null} when the value is fine,
 * otherwise the reason, as {@link Property#check} expects.
 */
public final class Checks {

    /**
     * SQL identifiers we create from configuration: lower case, no quoting needed, short enough
     * that the derived names (aggregates, the row-cap procedure) stay within PostgreSQL's 63 bytes.
     */
    /** ns=2;s=..., nsu=urn:...;i=..., or a bare i=85 (namespace 0). */
    private static final Pattern NODE_ID = Pattern.compile("(?:(?:ns=\\d+|nsu=[^;]+);)?(?:i=\\d+|s=.+|g=[0-9a-fA-F-]{36}|b=[A-Za-z0-9+/=]+)");

    private Checks() {
    }

    /** An OSGi LDAP filter, as a {@code *.target} reference property holds. */
    public static String ldapFilter(String value) {
        if (value.isEmpty()) {
            return "must be an LDAP filter such as (kura.service.pid=name)";
        }
        try {
            FrameworkUtil.createFilter(value);
            return null;
        } catch (InvalidSyntaxException e) {
            // The parser's message repeats the filter, or its rest, raw: the problem already shows
            // the value (shortened, control characters escaped), so only the reason is kept
            // ("Missing '('", "Extraneous trailing characters"), made safe for one log line.
            String reason = String.valueOf(e.getMessage());
            int colon = reason.indexOf(": ");
            if (colon > 0) {
                reason = reason.substring(0, colon);
            }
            return "must be an LDAP filter such as (kura.service.pid=name): " + Property.show(reason);
        }
    }

    /**
     * An {@code opc.tcp://host:port[/path]} endpoint URL. Parsed by hand: {@link java.net.URI}
     * refuses host names with underscores, common for containers ({@code opc_server}).
     */
    public static String opcTcpUrl(String value) {
        String prefix = "opc.tcp://";
        if (!value.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return "must start with opc.tcp://";
        }
        String rest = value.substring(prefix.length());
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return "has an unclosed [ in its IPv6 address";
            }
            host = authority.substring(1, close);
            if (close + 1 < authority.length()) {
                if (authority.charAt(close + 1) != ':') {
                    return "must be opc.tcp://[address]:port";
                }
                port = authority.substring(close + 2);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9_.:%-]+")) {
            return "must name a host, as in opc.tcp://host:4840";
        }
        if (port != null) {
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                return "must have a port between 1 and 65535";
            }
        }
        return value.chars().anyMatch(c -> c <= ' ') ? "must not contain spaces or control characters" : null;
    }

    /**
     * A PostgreSQL JDBC URL. A password inside it would be shown in logs and the console, so it
     * is refused: the password has its own Password property.
     */
    public static String postgresJdbcUrl(String value) {
        if (!value.startsWith("jdbc:postgresql:")) {
            return "must start with jdbc:postgresql:";
        }
        if (value.toLowerCase(Locale.ROOT).matches(".*[?&;]password=.*")) {
            return "must not contain the password; use the password property";
        }
        return null;
    }

    /** One OPC UA node id in text form. */
    public static String nodeId(String value) {
        return NODE_ID.matcher(value).matches() ? null
                : "must be a node id such as i=85, ns=2;s=Line1 or nsu=urn:plant;s=Line1";
    }

    /** A list of node ids separated by commas or new lines (empty allowed). */
    public static String nodeIdList(String value) {
        for (String item : Lists.split(value)) {
            String reason = nodeId(item);
            if (reason != null) {
                return "'" + Property.show(item) + "' " + reason;
            }
        }
        return null;
    }

    /** Empty, or an absolute file system path. */
    public static String absolutePathOrEmpty(String value) {
        return value.isEmpty() || value.startsWith("/") ? null : "must be an absolute path (or empty for the default)";
    }

    /** Text that is used in data rows: at most 200 characters, no control characters. */
    public static String label(String value) {
        if (value.length() > 200) {
            return "must be at most 200 characters";
        }
        return value.chars().anyMatch(Character::isISOControl) ? "must not contain control characters" : null;
    }
}
