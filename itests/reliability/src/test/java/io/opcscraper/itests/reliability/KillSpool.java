package io.opcscraper.itests.reliability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Reads the writer's spool directory from outside (format: docs/spool.md) for the highest
 * sequence number it ever gave a sample: the last record of the newest segment, or, when that
 * segment is empty, one below its first sequence. Every acknowledged sample has a sequence
 * number at or below it, and sequence numbers start at 1 in a fresh spool. They are dense but
 * for the numbers a kill skips: the sent watermark (the {@code watermark} file) is reserved
 * ahead of the samples, and the next open never hands out a number at or below it
 * ({@link #skippedByAKill}); so the samples the writer ever acknowledged are the last sequence
 * less the numbers the kills skipped. Only sound records count (length and CRC32C checked, as
 * the spool's own recovery does).
 */
final class KillSpool {

    private static final Pattern NAME = Pattern.compile("seg-(\\d{20})\\.spool");
    private static final int HEADER = 16;
    private static final int MAGIC = 0x4C4F5053;
    /** "SPWM" as little-endian bytes. */
    private static final int WATERMARK_MAGIC = 0x4D575053;

    private KillSpool() {
    }

    /**
     * Right after a kill: the numbers the next open will skip, the sent watermark beyond the last
     * sequence given (0 when none, or without a sound watermark record).
     */
    static long skippedByAKill(Path dir) throws IOException {
        return Math.max(0, sentWatermark(dir) - lastSequence(dir));
    }

    /** The sent watermark R of the sound slot with the highest generation (magic, version, pad, generation, W, R, CRC). */
    private static long sentWatermark(Path dir) throws IOException {
        Path file = dir.resolve("watermark");
        if (!Files.exists(file)) {
            return 0;
        }
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long generation = -1;
        long sent = 0;
        for (int at = 0; at + 40 <= data.limit(); at += 40) {
            CRC32C crc = new CRC32C();
            crc.update(data.array(), at, 32);
            if (data.getInt(at) == WATERMARK_MAGIC && (int) crc.getValue() == data.getInt(at + 32)
                    && data.getLong(at + 8) > generation) {
                generation = data.getLong(at + 8);
                sent = data.getLong(at + 24);
            }
        }
        return sent;
    }

    static long lastSequence(Path dir) throws IOException {
        long last = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "seg-*.spool")) {
            for (Path file : files) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    last = Math.max(last, lastSequence(file, Long.parseLong(m.group(1))));
                }
            }
        }
        return last;
    }

    private static long lastSequence(Path file, long first) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long last = first - 1;
        if (data.limit() < HEADER || data.getInt(0) != MAGIC || data.getLong(8) != first) {
            return last;
        }
        int pos = HEADER;
        CRC32C crc = new CRC32C();
        while (pos + 8 + 8 <= data.limit()) {
            int storedCrc = data.getInt(pos);
            int len = data.getInt(pos + 4);
            if (len < 8 || len > data.limit() - pos - 8) {
                break;
            }
            crc.reset();
            crc.update(data.array(), pos + 4, len + 4);
            if ((int) crc.getValue() != storedCrc) {
                break;
            }
            last = data.getLong(pos + 8);
            pos += 8 + len;
        }
        return last;
    }
}
