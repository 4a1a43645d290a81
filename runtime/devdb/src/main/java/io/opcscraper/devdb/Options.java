package io.opcscraper.devdb;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@link Main}, parsed and validated.
 *
 * @param port 0: a free port
 */
record Options(int port, Path dir, String password, String logLevel, boolean help) {

    static final Path DEFAULT_DIR = Path.of("target", "devdb");
    static final String DEFAULT_PASSWORD = "opcscraper";

    /** A bad command line; the message names the option and the value (never a password). */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    @Override
    public String toString() { // no password in logs or test reports
        return "Options[port=" + port + ", dir=" + dir + ", password=***, logLevel=" + logLevel + ", help=" + help + "]";
    }

    static Options parse(String... args) throws UsageException {
        int port = 0;
        Path dir = DEFAULT_DIR;
        String password = DEFAULT_PASSWORD;
        String logLevel = "warn";
        boolean help = false;
        Set<String> seen = new HashSet<>();

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (equals >= 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (!Set.of("--port", "--dir", "--password", "--log-level").contains(name)) {
                throw new UsageException("unknown option " + name);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option " + name + " needs a value");
                }
                value = args[++i];
            }
            if (!seen.add(name)) {
                throw new UsageException("option " + name + " given twice");
            }
            switch (name) {
                case "--port":
                    port = port(value);
                    break;
                case "--dir":
                    if (value.isBlank()) {
                        throw invalid(name, value, "a directory");
                    }
                    try {
                        dir = Path.of(value);
                    } catch (InvalidPathException e) {
                        throw invalid(name, value, "a directory");
                    }
                    break;
                case "--password":
                    if (value.isEmpty()) {
                        throw new UsageException("invalid value for --password: expected at least one character");
                    }
                    if (value.indexOf('\0') >= 0) {
                        throw new UsageException("invalid value for --password: NUL character");
                    }
                    password = value;
                    break;
                case "--log-level":
                    logLevel = value.toLowerCase(Locale.ROOT);
                    if (!Set.of("error", "warn", "info", "debug", "trace").contains(logLevel)) {
                        throw invalid(name, value, "error, warn, info, debug or trace");
                    }
                    break;
                default:
                    throw new IllegalStateException(name);
            }
        }
        return new Options(port, dir, password, logLevel, help);
    }

    private static int port(String value) throws UsageException {
        String expected = "an integer 0..65535 (0 = a free port)";
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0 || n > 65535) {
                throw invalid("--port", value, expected);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid("--port", value, expected);
        }
    }

    private static UsageException invalid(String name, String value, String expected) {
        return new UsageException("invalid value '" + value + "' for " + name + ": expected " + expected);
    }
}
