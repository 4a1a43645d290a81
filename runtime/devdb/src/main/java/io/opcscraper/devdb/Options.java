package io.opcscraper.devdb;

import java.nio.file.Path;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of {@link Main} (a picocli mixin of its command): picocli sets the fields, converts and
 * checks the values (a bad one: a {@code ParameterException} that names the option and the value,
 * never the password) and prints them in the usage with their defaults.
 */
final class Options {

    static final String DEFAULT_DIR = "target/devdb";
    static final String DEFAULT_PASSWORD = "opcscraper";

    /** slf4j-simple's levels, as it and the command line spell them. */
    enum LogLevel { error, warn, info, debug, trace }

    @Option(names = "--port", paramLabel = "N", defaultValue = "0", converter = Port.class,
        description = "TCP port on 127.0.0.1; 0 = a free port (default ${DEFAULT-VALUE})")
    int port; // 0: a free port

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, converter = Directory.class,
        description = "where the cluster (DIR/data), its log (DIR/postgres.log) and the superuser's password"
            + " (DIR/superuser.password) live, kept across runs (default ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--password", paramLabel = "PW", defaultValue = DEFAULT_PASSWORD, converter = Password.class,
        description = "the password of role opcscraper, set at every start (default ${DEFAULT-VALUE})")
    String password;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "warn",
        description = "${COMPLETION-CANDIDATES} for devdb's own log on stderr (default ${DEFAULT-VALUE})")
    LogLevel logLevel;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this text and exit")
    boolean help;

    @Override
    public String toString() { // no password in logs or test reports
        return "Options[port=" + port + ", dir=" + dir + ", password=***, logLevel=" + logLevel + "]";
    }

    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String number = value.trim();
            int port = number.matches("[+-]?[0-9]{1,5}") ? Integer.parseInt(number) : -1;
            if (port < 0 || port > 65535) {
                throw new TypeConversionException("'" + value + "' is not an integer in 0..65535 (0 = a free port)");
            }
            return port;
        }
    }

    static final class Directory implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (value.isBlank() || value.indexOf('\0') >= 0) { // Path.of refuses NUL
                throw new TypeConversionException("'" + value + "' is not a directory");
            }
            return Path.of(value);
        }
    }

    /** Its messages never show the value. */
    static final class Password implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isEmpty()) {
                throw new TypeConversionException("expected at least one character");
            }
            if (value.indexOf('\0') >= 0) {
                throw new TypeConversionException("NUL character");
            }
            return value;
        }
    }
}
