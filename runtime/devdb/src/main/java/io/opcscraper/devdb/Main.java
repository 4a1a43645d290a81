package io.opcscraper.devdb;

/**
 * devdb: an embedded PostgreSQL 17 for local runs, {@code java -jar runtime/devdb/target/devdb-VERSION.jar
 * [options]} (see {@link #USAGE}). Prints one ready line on stdout (never the password), runs until
 * SIGTERM or SIGINT, then stops PostgreSQL and exits 0. Cannot start: exit 1; bad option: exit 2.
 */
public final class Main {

    static final String USAGE = String.join(System.lineSeparator(),
        "Usage: java -jar runtime/devdb/target/devdb-<version>.jar [options]",
        "Runs a plain PostgreSQL 17 (no TimescaleDB) on 127.0.0.1 until SIGTERM or SIGINT, with database",
        "opcscraper owned by role opcscraper, password authentication (scram-sha-256).",
        "",
        "  --port N           TCP port on 127.0.0.1; 0 = a free port (default 0)",
        "  --dir DIR          where the cluster (DIR/data), its log (DIR/postgres.log) and the",
        "                     superuser's password (DIR/superuser.password) live, kept across runs",
        "                     (default " + Options.DEFAULT_DIR + ")",
        "  --password PW      the password of role opcscraper, set at every start (default "
            + Options.DEFAULT_PASSWORD + ")",
        "  --log-level LEVEL  error, warn, info, debug or trace for devdb's own log on stderr (default warn)",
        "  -h, --help         print this text and exit",
        "",
        "Options also take the form --name=value. Prints on stdout, once PostgreSQL accepts connections:",
        "  devdb ready: jdbc:postgresql://127.0.0.1:PORT/opcscraper user=opcscraper",
        "and when stopped:",
        "  devdb stopped",
        "Exit status: 0 stopped by SIGTERM or SIGINT, 1 could not start (or stop), 2 bad option.",
        "");

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            System.err.println("devdb: " + e.getMessage());
            System.err.print(USAGE);
            System.err.flush();
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(USAGE);
            System.out.flush();
            System.exit(0);
            return;
        }
        configureLogging(options.logLevel());
        DevDb db;
        try {
            db = DevDb.start(options, System.err);
        } catch (DevDb.StartException e) {
            System.err.println("devdb: cannot start: " + e.getMessage());
            System.err.flush();
            System.exit(1);
            return;
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
