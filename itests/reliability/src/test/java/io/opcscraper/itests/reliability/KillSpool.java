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
 * segment is empty, one below its first sequence; and, with {@code spool.mode = on-backlog},
 * where samples committed from memory never reach a segment, the watermark file's sent number
 * when it is higher (the writer reserves only sequences it has handed out, and brings it down to
 * the committed number at an orderly stop). Every acknowledged sample has a sequence number at or
 * below it, and sequence numbers start at 1 in a fresh spool, so after the final drain it is the
 * number of samples the writer ever acknowledged. Only sound records count (length and CRC32C
 * checked, as the spool's own recovery does).
 */
final class KillSpool {

    private static final Pattern NAME = Pattern.compile("seg-(\\d{20})\\.spool");
    private static final int HEADER = 16;
    private static final int MAGIC = 0x4C4F5053;
    private static final int WATERMARK_MAGIC = 0x4D575053;
    private static final int WATERMARK_SLOT = 40;
    private static final int WATERMARK_BODY = 32;

    private KillSpool() {
    }

    static long lastSequence(Path dir) throws IOException {
        long last = watermarkSent(dir.resolve("watermark"));
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

    /** The sent number of the sound watermark slot with the higher generation; 0 without one. */
    private static long watermarkSent(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long generation = -1;
        long sent = 0;
        for (int at = 0; at + WATERMARK_SLOT <= data.limit(); at += WATERMARK_SLOT) {
            CRC32C crc = new CRC32C();
            crc.update(data.array(), at, WATERMARK_BODY);
            if (data.getInt(at) == WATERMARK_MAGIC && (int) crc.getValue() == data.getInt(at + WATERMARK_BODY)
                    && data.getLong(at + 8) > generation) {
                generation = data.getLong(at + 8);
                sent = data.getLong(at + 24);
            }
        }
        return sent;
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
