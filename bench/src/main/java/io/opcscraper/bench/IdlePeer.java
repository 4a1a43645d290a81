package io.opcscraper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The idle peer of {@code --idle-peer}: the same runtime (launcher, Kura profile, our .dp installed and started)
 * without instances, with the gateway's JVM options: started, given 10 s after its ready line to settle, then a full
 * GC, its heap and threads (and, with {@code --histogram}, its class histogram), and an orderly stop.
 */
record IdlePeer(HeapInfo heap, int threads) {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    static IdlePeer measure(Artifacts artifacts, List<String> jvm, String dbPassword, Path dir, boolean histogram)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = dir.resolve("gateway-config.json");
        Files.writeString(config, Flash.NO_INSTANCES, StandardCharsets.UTF_8);
        GatewayProcess peer = GatewayProcess.start(artifacts, jvm, config, dbPassword, dir);
        try {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (peer.readyLine() == null) {
                if (!peer.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the idle peer did not get ready; see " + dir.resolve("gateway.out"));
                }
                Thread.sleep(200);
            }
            Thread.sleep(10_000);
            int threads = Flash.threads(peer.pid());
            String classes = ClassHistogram.take(peer.pid());
            HeapInfo heap = Flash.liveHeap(peer.pid(), classes);
            Files.writeString(dir.resolve("gateway-live-heap.txt"), heap.raw(), StandardCharsets.UTF_8);
            Say.line(String.format(Locale.ROOT, "idle peer (%s): live heap %.1f MB after a full GC, "
                + "metaspace %.1f MB, %d threads", peer.readyLine(), heap.usedMb(), heap.metaspaceUsedMb(), threads));
            if (histogram) {
                ClassHistogram.save(classes, dir, "idle peer");
            }
            return new IdlePeer(heap, threads);
        } finally {
            peer.close();
        }
    }
}
