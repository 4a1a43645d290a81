package io.opcscraper.timescale.internal.spool;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link SpoolCrashTest}: appends batches of {@link SpoolSamples#sample}
 * forever and prints {@code ACK <last sequence>} after each acknowledged one, until it is killed.
 * Arguments: spool directory, max bytes, batch size.
 */
public final class SpoolCrashChild {

    private SpoolCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long maxBytes = Long.parseLong(args[1]);
        int batch = Integer.parseInt(args[2]);
        try (Spool spool = Spool.open(dir, maxBytes)) {
            System.out.println("OPEN " + spool.lastSequence());
            System.out.flush();
            while (true) {
                long first = spool.lastSequence() + 1;
                long last = spool.append(SpoolSamples.batch(first, batch));
                if (last != first + batch - 1) {
                    System.out.println("WRONG " + first + " " + last);
                }
                System.out.println("ACK " + last);
                System.out.flush();
            }
        }
    }
}
