package io.opcscraper.simulator.internal;

import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Predicate;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of {@link Main} (a picocli mixin of its command): picocli sets the fields, converts and
 * checks the values (a bad one: a {@code ParameterException} that names the option and the value)
 * and prints them in the usage with their defaults. The bundle does not import picocli (see the pom):
 * only the program uses this class.
 */
final class Options {

    static final int DEFAULT_PORT = 48400;
    static final int MAX_TAGS = 1_000_000;
    static final int MAX_RATE_HZ = 1000;
    static final int MAX_HISTORY_S = 7 * 86_400;

    /** Which endpoints the program offers; spelled as on the command line. */
    enum Security {
        /** One endpoint, None/None: what a client with default settings (policy auto) connects to without trust. */
        none("None"),
        /** None plus three policies, each Sign and SignAndEncrypt. */
        all("None", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss");

        final String[] policies;

        Security(String... policies) {
            this.policies = policies;
        }
    }

    /** slf4j-simple's levels, as it and the command line spell them. */
    enum LogLevel { error, warn, info, debug, trace }

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT, converter = Port.class,
        description = "TCP port; 0 = a free port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1", converter = Host.class,
        description = "address to listen on (default ${DEFAULT-VALUE}); the endpoint URL names it"
            + " (127.0.0.1 for a wildcard such as 0.0.0.0)")
    String bind;

    @Option(names = "--tags", paramLabel = "N", defaultValue = "1000", converter = Tags.class,
        description = "plant sensor variables, 4 per sensor, 0.." + MAX_TAGS + " (default ${DEFAULT-VALUE})")
    int tags;

    @Option(names = "--structure-blocks", paramLabel = "N", defaultValue = "0", converter = Tags.class,
        description = "Block variables (a structure of five Doubles) under Structures/Blocks, 0.." + MAX_TAGS
            + " (default ${DEFAULT-VALUE})")
    int structureBlocks;

    @Option(names = "--structure-descriptions", paramLabel = "HOW", defaultValue = "both",
        description = {"${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}): the plant's structure types are described"
            + " by DataTypeDefinitions (OPC UA 1.04), a data type dictionary (1.03), or both"})
    Descriptions structureDescriptions;

    @Option(names = "--rate", paramLabel = "HZ", defaultValue = "1", converter = Rate.class,
        description = "how often every variable changes per second, 0 < HZ <= " + MAX_RATE_HZ
            + " (default ${DEFAULT-VALUE})")
    double rateHz;

    @Option(names = "--history", paramLabel = "S", defaultValue = "0", converter = HistorySeconds.class,
        description = "the sensor variables are historizing and keep S seconds of history, from the start;"
            + " 0 = no history, up to " + MAX_HISTORY_S + " (default ${DEFAULT-VALUE})")
    int historySeconds;

    @Option(names = "--history-backdated",
        description = "the history also covers the S seconds before the start, as if the plant had recorded"
            + " before the program ran")
    boolean historyBackdated;

    @Option(names = "--security", paramLabel = "MODE", defaultValue = "none",
        description = {"${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}). none: one endpoint, None/None;"
            + " all: also Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss, each Sign and"
            + " SignAndEncrypt. Every client certificate is accepted."})
    Security security;

    @Option(names = "--pki", paramLabel = "DIR", converter = PathValue.class,
        description = "keep the server key and certificate (plant-server.p12, plant-server.der for clients to"
            + " trust) in DIR across runs (default: a temporary directory deleted at exit)")
    Path pkiDir; // null: a temporary directory

    @Option(names = "--stats", paramLabel = "FILE", converter = PathValue.class,
        description = "rewrite FILE every second (atomically) with key=value lines: state, url, tags, rate,"
            + " variables, changes, served, time")
    Path statsFile; // null: none

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "warn",
        description = "${COMPLETION-CANDIDATES}; the log goes to stderr (default ${DEFAULT-VALUE})")
    LogLevel logLevel;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this text and exit")
    boolean help;

    /**
     * The value parsed by {@code parse} if {@code accept} takes it; else (also if {@code parse} throws)
     * an exception that picocli reports as "Invalid value for option '--x': 'VALUE' is not EXPECTED".
     */
    static <T> T valid(String value, Function<String, T> parse, Predicate<T> accept, String expected) {
        try {
            T result = parse.apply(value);
            if (accept.test(result)) {
                return result;
            }
        } catch (IllegalArgumentException e) { // NumberFormatException, InvalidPathException
            // below
        }
        throw new TypeConversionException("'" + value + "' is not " + expected);
    }

    /** How the structure types are described (PlantServer.Builder#structureDescriptions). */
    enum Descriptions {
        both, definitions, dictionary
    }

    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return valid(value, v -> Integer.valueOf(v.trim()), n -> n >= 0 && n <= 65535, "an integer in 0..65535");
        }
    }

    static final class Tags implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return valid(value, v -> Integer.valueOf(v.trim()), n -> n >= 0 && n <= MAX_TAGS,
                "an integer in 0.." + MAX_TAGS);
        }
    }

    static final class HistorySeconds implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return valid(value, v -> Integer.valueOf(v.trim()), n -> n >= 0 && n <= MAX_HISTORY_S,
                "a number of seconds in 0.." + MAX_HISTORY_S);
        }
    }

    static final class Rate implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return valid(value, v -> Double.valueOf(v.trim()), hz -> hz > 0 && hz <= MAX_RATE_HZ, // refuses NaN
                "a number of Hz, 0 < HZ <= " + MAX_RATE_HZ);
        }
    }

    static final class Host implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return valid(value, v -> v, v -> !v.isBlank(), "a host name or IP address");
        }
    }

    static final class PathValue implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            return valid(value, Path::of, path -> !path.toString().isBlank(), "a path");
        }
    }
}
