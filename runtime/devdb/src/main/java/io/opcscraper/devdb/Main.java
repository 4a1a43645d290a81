package io.opcscraper.devdb;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * devdb: an embedded PostgreSQL 17 for local runs, {@code java -jar runtime/devdb/target/devdb-VERSION.jar
 * [options]} (picocli command, options in {@link Options}). Prints one ready line on stdout (never the
 * password), runs until SIGTERM or SIGINT, then stops PostgreSQL and exits 0. Cannot start: exit 1;
 * bad option: exit 2.
 */
@Command(name = "java -jar runtime/devdb/target/devdb-<version>.jar", abbreviateSynopsis = true,
    sortOptions = false, usageHelpWidth = 100, optionListHeading = "%n",
    description = "Runs a plain PostgreSQL 17 (no TimescaleDB) on 127.0.0.1 until SIGTERM or SIGINT, with"
        + " database opcscraper owned by role opcscraper, password authentication (scram-sha-256).",
    footer = {"",
        "Options also take the form --name value. Prints on stdout, once PostgreSQL accepts connections:",
        "  devdb ready: jdbc:postgresql://127.0.0.1:PORT/opcscraper user=opcscraper",
        "and when stopped:",
        "  devdb stopped",
        "Exit status: 0 stopped by SIGTERM or SIGINT, 1 could not start (or stop), 2 bad option."})
public final class Main implements Callable<Integer> {

    @Mixin
    final Options options = new Options();

    public static void main(String[] args) {
        System.exit(commandLine(new Main()).execute(args));
    }

    /** Parses as picocli does by default (usage: exit 0, bad option: exit 2), enum values in any case. */
    static CommandLine commandLine(Main main) {
        return new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Starts PostgreSQL: returns 1 if it cannot, else runs until the shutdown hook halts the JVM. */
    @Override
    public Integer call() throws InterruptedException {
        configureLogging(options.logLevel.name());
        DevDb db;
        try {
            db = DevDb.start(options, System.err);
        } catch (DevDb.StartException e) {
            System.err.println("devdb: cannot start: " + e.getMessage());
            System.err.flush();
            return 1;
        }
        // A plain return from a shutdown hook would exit with 143/130: halt with the stop's status.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int status = 0;
            try {
                db.close();
                if (db.stopped()) {
                    System.out.println("devdb stopped");
                } else {
                    System.err.println("devdb: PostgreSQL did not stop; see " + db.log());
                    status = 1;
                }
            } catch (RuntimeException | Error e) {
                System.err.println("devdb: stop failed: " + describe(e));
                status = 1;
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(status);
        }, "devdb-shutdown"));
        System.out.println("devdb ready: " + db.jdbcUrl() + " user=" + DevDb.ROLE);
        System.out.flush();
        Thread.currentThread().join(); // until the hook halts the JVM
        return 0;
    }

    /** Sets slf4j-simple's level (unless given with -D) before the first logger exists. */
    private static void configureLogging(String level) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The message of e and of its causes, without repeats. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (text.indexOf(message) < 0) {
                if (text.length() > 0) {
                    text.append(": ");
                }
                text.append(message);
            }
        }
        return text.toString();
    }
}
