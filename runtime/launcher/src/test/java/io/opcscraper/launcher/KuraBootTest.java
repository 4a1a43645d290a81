package io.opcscraper.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.DeploymentPackages;

/**
 * The launcher booting as a Kura 5.5 gateway does ({@code opcscraper.kura.boot=true}), twice on
 * one Kura home: the first boot records {@code opcscraper.dp} in Kura's packages folder, installs
 * it from there, creates the instance of the configuration file and writes a snapshot; an upgrade
 * through the watch directory is recorded in the packages folder too. The second boot wipes the
 * framework storage, installs the upgraded package from the packages folder (not
 * {@code opcscraper.dp}) and re-creates the instance from the snapshot (the configuration file is
 * gone) with a new {@code service.pid}; its password, encrypted in the snapshot, still decrypts.
 */
class KuraBootTest {

    private static final Pattern CREATED = Pattern
            .compile("^Instance created: io\\.opcscraper\\.opcua\\.Connection 'opcua-connection' as (\\S+) in \\d+ ms$");
    private static final Pattern RECREATED = Pattern
            .compile("^Instance re-created from snapshot_\\d+\\.xml: 'opcua-connection' as (\\S+)$");

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aKuraBootInstallsFromThePackagesFolderAndRecreatesTheSnapshotsInstancesWithNewServicePids(@TempDir Path tmp)
            throws Exception {
        Path storage = tmp.resolve("framework");
        Path packages = tmp.resolve("kura/data/packages");
        Path snapshots = tmp.resolve("kura/user/snapshots");
        Path watch = tmp.resolve("dp-watch");
        Path config = tmp.resolve("config.json");
        Files.writeString(config, "{\"io.opcscraper.opcua.Connection~opcua-connection\": {"
                + "\"endpoint.url\": \"$[env:TEST_URL]\", \"identity.password\": \"pw-Secret-1\"}}");
        String[] kuraBoot = { "-Dopcscraper.kura.boot=true", "-Dorg.osgi.framework.storage=" + storage,
                "-Dopcscraper.status.interval.s=1", "-Dopcscraper.dp.watch=" + watch };
        Path built = LocalGateway.builtDp();
        String nextVersion = DeploymentPackages.next(DeploymentPackages.version(built));

        String firstPid;
        ChildProcess first = LocalGateway.start(tmp, config, kuraBoot);
        try {
            first.await("Launcher ready (Kura boot): 1 of 1 deployment package(s) installed from " + packages
                    + ", 1 of 1 instance(s) created from " + config + " (no snapshot yet)", Duration.ofSeconds(60));
            assertTrue(first.has("Kura boot: first boot, " + built + " recorded in the packages folder as " + packages),
                    first.output());
            firstPid = first.last(CREATED).orElseThrow(() -> new AssertionError(first.output())).group(1);
            String snapshot = Files.readString(only(snapshots, "snapshot_*.xml"));
            assertTrue(snapshot.contains("<esf:configuration pid=\"opcua-connection\">"), snapshot);
            assertTrue(snapshot.contains("name=\"identity.password\" array=\"false\" encrypted=\"true\""), snapshot);
            assertFalse(snapshot.contains("pw-Secret-1"), "a clear password in the snapshot");

            Path next = DeploymentPackages.bumped(built, tmp.resolve("next.dp.part"));
            Files.createDirectories(watch);
            Files.move(next, watch.resolve("next.dp"), StandardCopyOption.ATOMIC_MOVE);
            first.await("the next Kura boot installs it", Duration.ofSeconds(90));
            assertEquals(packages.resolve("opc-scraper_" + nextVersion + ".dp"), only(packages, "*.dp"),
                    "the upgrade replaced the recorded package");

            first.terminate();
            assertEquals(0, first.exitCode(Duration.ofSeconds(30)), first.output());
        } finally {
            first.close();
        }
        assertTrue(Files.isDirectory(storage.resolve("org.eclipse.osgi")), "no framework state in " + storage);
        Path leftOver = Files.writeString(storage.resolve("org.eclipse.osgi").resolve("left-by-the-first-boot"), "x");
        Files.delete(config);

        ChildProcess second = LocalGateway.start(tmp, config, kuraBoot);
        try {
            second.await("Launcher ready (Kura boot): 1 of 1 deployment package(s) installed from " + packages
                    + ", 1 instance(s) re-created from snapshot_", Duration.ofSeconds(60));
            assertTrue(second.has("Installed deployment package opc-scraper " + nextVersion + " (4 bundles) from "
                    + packages.resolve("opc-scraper_" + nextVersion + ".dp")), second.output());
            assertTrue(second.has("the packages folder holds opc-scraper_" + nextVersion + ".dp already; " + built
                    + " is not installed"), second.output());
            String secondPid = second.last(RECREATED).orElseThrow(() -> new AssertionError(second.output())).group(1);
            assertNotEquals(firstPid, secondPid, "the boot gave the instance a new service.pid");
            assertFalse(Files.exists(leftOver), "the framework storage was not wiped at start");
            // The component runs on the snapshot's configuration: the endpoint it had.
            second.await("last_error=opcua-connection: ", Duration.ofSeconds(60));
            assertTrue(second.has("Connection refused: /127.0.0.1:1"), second.output());
            second.terminate();
            assertEquals(0, second.exitCode(Duration.ofSeconds(30)), second.output());
        } finally {
            second.close();
        }
        String log = Files.readString(tmp.resolve("kura55.log"));
        assertFalse(log.contains("does not decrypt"), "the snapshot's password no longer decrypts after the boot");
    }

    private static Path only(Path dir, String glob) throws java.io.IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            files.forEach(found::add);
        }
        assertEquals(1, found.size(), glob + " in " + dir + ": " + found);
        return found.get(0);
    }
}
