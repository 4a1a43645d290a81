package io.opcscraper.itests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local gateway (runtime/launcher's kura55-local.jar: the Kura 5.5 profile) as a child
 * process, installing the built .dp and the instances of an OSGi Configurator JSON file, with its
 * own Kura home (PKI, spool) and log file under {@code work}, a status line every second and a
 * free web console port. Restarting it on the same {@code work} keeps its spool, as a gateway's
 * restart does.
 */
public final class Gateway implements AutoCloseable {

    /** {@code status: nodes=N read=R/s written=W/s spool=S dropped=D backfilled=B last_error=...}. */
    public static final Pattern STATUS = Pattern.compile("^status: nodes=(\\d+) read=(\\d+)/s written=(\\d+)/s"
            + " spool=(\\d+) dropped=(\\d+) backfilled=(\\d+) last_error=(.*)$");
    /** The group of {@link #STATUS} that holds the last error. */
    public static final int STATUS_LAST_ERROR = 7;
    /** {@code summary: read=N written=N spooled=N dropped=N quarantined=N backfilled=N stop_ms=N}. */
    public static final Pattern SUMMARY = Pattern.compile("^summary: read=(\\d+) written=(\\d+) spooled=(\\d+)"
            + " dropped=(\\d+) quarantined=(\\d+) backfilled=(\\d+) stop_ms=(\\d+)$");

    private final ChildProcess process;

    private Gateway(ChildProcess process) {
        this.process = process;
    }

    /**
     * @param env environment of the gateway (the config file's $[env:...] placeholders)
     * @param jvmOptions more -D or -X options
     */
    public static Gateway start(Repository repo, Path work, Path config, Map<String, String> env, String... jvmOptions)
            throws IOException {
        Files.createDirectories(work);
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dopcscraper.dp=" + repo.dp(), "-Dopcscraper.config=" + config,
                "-Dopcscraper.status.interval.s=1",
                "-Dkura.home=" + work.resolve("kura"), "-Dkura55.log.dir=" + work,
                "-Dorg.osgi.service.http.port=" + Ports.free(),
                // bnd's launcher keeps the framework and its own jars in java.io.tmpdir by default and
                // leaves them there when the process halts or is killed (about 50 MB a start): here
                // they stay in work, reused (wiped) by a restart on the same work.
                "-Dorg.osgi.framework.storage=" + work.resolve("framework"),
                "-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp"))));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", repo.gatewayJar().toString()));
        int n = 1;
        while (Files.exists(work.resolve("gateway-" + n + ".out"))) {
            n++;
        }
        return new Gateway(ChildProcess.start("gateway", work, env, command, work.resolve("gateway-" + n + ".out")));
    }

    public ChildProcess process() {
        return this.process;
    }

    public void awaitReady(Duration timeout) {
        this.process.await("Launcher ready", timeout);
    }

    /** The latest status line. */
    public Optional<Matcher> status() {
        return this.process.last(STATUS);
    }

    /** The summary line of the orderly stop. */
    public Optional<Matcher> summary() {
        return this.process.last(SUMMARY);
    }

    /** The gateway's log file (kura55.log under work; the latest run's). */
    public static Path log(Path work) {
        return work.resolve("kura55.log");
    }

    @Override
    public void close() throws InterruptedException {
        this.process.close();
    }
}
