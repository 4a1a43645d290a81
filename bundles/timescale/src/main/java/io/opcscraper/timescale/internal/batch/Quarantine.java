package io.opcscraper.timescale.internal.batch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import io.opcscraper.api.Sample;

/**
 * Samples the database refused for good (a data error for their batch), kept as JSON lines
 * with the reason in {@code quarantine.jsonl} beside the spool, forced to disk before they leave
 * the spool. An admin can inspect them and load them again by hand.
 */
public final class Quarantine {

    private final Path file;
    private long count;

    public Quarantine(Path dir) {
        this.file = dir.resolve("quarantine.jsonl");
    }

    synchronized void add(List<Sample> samples, String reason) throws IOException {
        StringBuilder lines = new StringBuilder();
        String now = Instant.now().toString();
        for (Sample s : samples) {
            lines.append("{\"quarantined\":").append(json(now)).append(",\"reason\":").append(json(reason))
                    .append(",\"timestamp\":").append(json(s.timestamp().toString())).append(",\"nodeid\":")
                    .append(json(s.nodeId())).append(",\"clientid\":").append(json(s.clientId()))
                    .append(",\"sensorname\":").append(json(s.sensorName())).append(",\"tagname\":")
                    .append(json(s.tagName())).append(",\"value\":")
                    .append(s.value() == null ? "null" : json(s.value().toString())).append(",\"quality\":")
                    .append(s.quality()).append("}\n");
        }
        try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        this.count += samples.size();
    }

    public synchronized long count() {
        return this.count;
    }

    public Path file() {
        return this.file;
    }

    private static String json(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
            case '"':
                out.append("\\\"");
                break;
            case '\\':
                out.append("\\\\");
                break;
            default:
                if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
