package io.opcscraper.simulator.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@link Main}, parsed and validated.
 *
 * @param pkiDir null: a temporary directory
 * @param statsFile null: no stats file
 */
record Options(int port, String bind, int tags, double rateHz, Security security, Path pkiDir, Path statsFile,
               String logLevel, boolean help) {

    static final int DEFAULT_PORT = 48400;
    static final int MAX_TAGS = 1_000_000;
    static final double MAX_RATE_HZ = 1000.0;

    /** Which endpoints the program offers. */
    enum Security {
        /** One endpoint, None/None: what a client with default settings (policy auto) connects to without trust. */
        NONE("None"),
        /** None plus three policies, each Sign and SignAndEncrypt. */
        ALL("None", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss");

        final String[] policies;

        Security(String... policies) {
            this.policies = policies;
        }
    }

    /** A bad command line; the message names the option and the value. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static Options parse(String... args) throws UsageException {
        int port = DEFAULT_PORT;
        String bind = "127.0.0.1";
        int tags = 1000;
        double rateHz = 1.0;
        Security security = Security.NONE;
        Path pkiDir = null;
        Path statsFile = null;
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
            if (!Set.of("--port", "--bind", "--tags", "--rate", "--security", "--pki", "--stats", "--log-level")
                .contains(name)) {
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
                    port = integer(name, value, 0, 65535);
                    break;
                case "--bind":
                    if (value.isBlank()) {
                        throw invalid(name, value, "a host name or IP address");
                    }
                    bind = value;
                    break;
                case "--tags":
                    tags = integer(name, value, 0, MAX_TAGS);
                    break;
                case "--rate":
                    rateHz = rate(name, value);
                    break;
                case "--security":
                    try {
                        security = Security.valueOf(value.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw invalid(name, value, "none or all");
                    }
                    break;
                case "--pki":
                    pkiDir = path(name, value);
                    break;
                case "--stats":
                    statsFile = path(name, value);
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
        return new Options(port, bind, tags, rateHz, security, pkiDir, statsFile, logLevel, help);
    }

    private static int integer(String name, String value, int min, int max) throws UsageException {
        String expected = "an integer " + min + ".." + max;
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw invalid(name, value, expected);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(name, value, expected);
        }
    }

    private static double rate(String name, String value) throws UsageException {
        String expected = "a number of Hz, 0 < HZ <= " + Main.formatRate(MAX_RATE_HZ);
        try {
            double hz = Double.parseDouble(value.trim());
            if (!(hz > 0) || hz > MAX_RATE_HZ) { // also refuses NaN
                throw invalid(name, value, expected);
            }
            return hz;
        } catch (NumberFormatException e) {
            throw invalid(name, value, expected);
        }
    }

    private static Path path(String name, String value) throws UsageException {
        if (value.isBlank()) {
            throw invalid(name, value, "a path");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw invalid(name, value, "a path");
        }
    }

    private static UsageException invalid(String name, String value, String expected) {
        return new UsageException("invalid value '" + value + "' for " + name + ": expected " + expected);
    }
}
