package io.opcscraper.simulator.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.opcscraper.simulator.PlantServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The plant simulator as a program: {@code java -jar simulator-VERSION-app.jar [options]} (picocli
 * command, options in {@link Options}). Prints one ready line on stdout, serves until SIGTERM or
 * SIGINT, then stops the server, prints the number of value changes produced and exits 0. Bad
 * options: exit 2; cannot start: exit 1. Logs through SLF4J (slf4j-simple on the app's class path) at
 * WARN unless told.
 */
@Command(name = "java -jar simulator/target/simulator-<version>-app.jar", abbreviateSynopsis = true,
    sortOptions = false, usageHelpWidth = 100, optionListHeading = "%n",
    description = "Serves a simulated plant over OPC UA (Eclipse Milo 0.6.16) until SIGTERM or SIGINT.",
    footer = {"",
        "Options also take the form --name value. Prints on stdout, once listening:",
        "  simulator ready: opc.tcp://HOST:PORT/plant tags=N rate=HZHz variables=V[ history=Ss]",
        "and when stopped:",
        "  simulator stopped: produced=N changes",
        "Exit status: 0 stopped by SIGTERM or SIGINT, 1 could not start, 2 bad option."})
public final class Main implements Callable<Integer> {

    private static final long STATS_PERIOD_MS = 1000;

    @Mixin
    final Options options = new Options();
    private PlantServer server;
    private ScheduledExecutorService statsWriter;
    private boolean statsFailed;

    public static void main(String[] args) {
        System.exit(commandLine(new Main()).execute(args));
    }

    /** Parses as picocli does by default (usage: exit 0, bad option: exit 2), enum values in any case. */
    static CommandLine commandLine(Main main) {
        return new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Runs the program on the parsed options: returns 1 if it cannot start, else runs until the hook halts. */
    @Override
    public Integer call() throws InterruptedException {
        configureLogging(options.logLevel.name());
        try {
            start();
        } catch (Exception e) {
            System.err.println("simulator: cannot start: " + describe(e));
            System.err.flush();
            stop();
            return 1;
        }
        // Milo's threads are daemons: the main thread keeps the JVM alive; the hook ends it. A plain
        // return from a hook would exit with 143/130: halt with the status of the clean stop instead.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int status = 0;
            try {
                long produced = stop();
                System.out.println("simulator stopped: produced=" + produced + " changes");
            } catch (RuntimeException | Error e) {
                System.err.println("simulator: stop failed: " + describe(e));
                status = 1;
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(status);
        }, "simulator-shutdown"));
        System.out.println(readyLine());
        System.out.flush();
        new CountDownLatch(1).await();
        return 0;
    }

    /** Sets slf4j-simple's level (unless given with -D) before the first logger exists. */
    static void configureLogging(String level) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Starts the server and, with --stats, the stats file writer. */
    void start() throws Exception {
        if (options.port != 0) {
            // Milo would log a failed bind at WARN with a stack trace, then fail: say it plainly first.
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(InetAddress.getByName(options.bind), options.port));
            } catch (IOException e) {
                throw new IOException("port " + options.port + " on " + options.bind + " is in use or cannot be bound ("
                    + describe(e) + ")", e);
            }
        }
        PlantServer.Builder builder = PlantServer.builder()
            .bindAddress(options.bind)
            .port(options.port)
            .tags(options.tags)
            .structureBlocks(options.structureBlocks)
            .structureDescriptions(options.structureDescriptions.name())
            .changeRateHz(options.rateHz)
            .securityPolicies(options.security.policies)
            .history(options.historySeconds)
            .historyBackdated(options.historyBackdated);
        if (options.pkiDir != null) {
            builder.pkiDir(options.pkiDir);
        }
        server = builder.start();
        if (options.statsFile != null) {
            try {
                writeStats("running"); // the start fails if the file cannot be written at all
            } catch (IOException | RuntimeException e) {
                server.close();
                server = null;
                throw new IOException("cannot write --stats " + options.statsFile, e);
            }
            statsWriter = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "simulator-stats");
                thread.setDaemon(true);
                return thread;
            });
            statsWriter.scheduleAtFixedRate(() -> writeStatsQuietly("running"), STATS_PERIOD_MS, STATS_PERIOD_MS,
                TimeUnit.MILLISECONDS);
        }
    }

    PlantServer server() {
        return server;
    }

    String readyLine() {
        return "simulator ready: " + server.endpointUrl() + " tags=" + options.tags + " rate="
            + formatRate(options.rateHz) + "Hz variables=" + server.variableCount()
            + (options.historySeconds > 0 ? " history=" + options.historySeconds + "s" : "");
    }

    /**
     * Stops the stats writer and the server; writes the stats file a last time (state=stopped).
     *
     * @return the value changes produced until now (0 if the server never started)
     */
    synchronized long stop() {
        if (statsWriter != null) {
            statsWriter.shutdownNow();
            try {
                statsWriter.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            statsWriter = null;
        }
        if (server == null) {
            return 0;
        }
        long produced = server.valueChanges();
        if (options.statsFile != null) {
            writeStatsQuietly("stopped", produced);
        }
        server.close();
        server = null;
        return produced;
    }

    private void writeStatsQuietly(String state) {
        writeStatsQuietly(state, server.valueChanges());
    }

    private synchronized void writeStatsQuietly(String state, long changes) {
        try {
            writeStats(state, changes);
            statsFailed = false;
        } catch (IOException | RuntimeException e) {
            if (!statsFailed) { // once per failure streak, on stderr like the log
                System.err.println("simulator: cannot write " + options.statsFile + ": " + describe(e));
                statsFailed = true;
            }
        }
    }

    private void writeStats(String state) throws IOException {
        writeStats(state, server.valueChanges());
    }

    private void writeStats(String state, long changes) throws IOException {
        Path file = options.statsFile.toAbsolutePath();
        String text = "state=" + state + "\n"
            + "url=" + server.endpointUrl() + "\n"
            + "tags=" + options.tags + "\n"
            + "rate=" + formatRate(options.rateHz) + "\n"
            + "variables=" + server.variableCount() + "\n"
            + "changes=" + changes + "\n"
            + "served=" + server.valuesServed() + "\n"
            + "time=" + Instant.now() + "\n";
        Path parent = file.getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** 1 -> "1", 2.5 -> "2.5", 0.1 -> "0.1". */
    static String formatRate(double hz) {
        return BigDecimal.valueOf(hz).stripTrailingZeros().toPlainString();
    }

    /** The message of e and of its causes, without repeats: "did not start on ...: Address already in use". */
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
