package io.opcscraper.timescale.internal.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import io.opcscraper.api.Sample;
import io.opcscraper.timescale.TestDatabase;

/** The binary COPY stream is what PostgreSQL reads back: every field, NULLs, odd text, old and new times. */
class BinaryCopyEncoderTest {

    @Test
    void postgresReadsBackWhatWasEncoded() throws Exception {
        List<Sample> samples = new ArrayList<>();
        samples.add(new Sample(Instant.parse("2026-11-28T10:15:30.123456Z"), "nsu=urn:plant;s=Line1/T", "gw-1",
                "Machine ä", "Temperature", 21.5, 0));
        samples.add(new Sample(Instant.parse("1999-12-31T23:59:59.999999Z"), "i=2258", "gw-1", null, null, null,
                0x80340000L));
        samples.add(new Sample(Instant.parse("2026-01-01T00:00:00Z"), "ns=2;s=Robert'); DROP TABLE x;--", "gw\u00002",
                "\"quoted\"", "t".repeat(300), -1.0E300, 0x40000000L));
        try (Connection connection = TestDatabase.fromEnvironment().connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE copy_check (\"timestamp\" timestamptz not null, nodeid text, "
                    + "clientid text, sensorname text, tagname text, value double precision, quality bigint not null)");
            long rows = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY copy_check " + BinaryCopyEncoder.COLUMNS + " FROM STDIN (FORMAT binary)",
                    new ByteArrayInputStream(BinaryCopyEncoder.encode(samples)));
            assertEquals(3, rows);
            try (ResultSet result = statement.executeQuery("SELECT * FROM copy_check ORDER BY quality")) {
                result.next();
                assertEquals(Instant.parse("2026-11-28T10:15:30.123456Z"), result.getTimestamp(1).toInstant());
                assertEquals("nsu=urn:plant;s=Line1/T", result.getString(2));
                assertEquals("Machine ä", result.getString(4));
                assertEquals(21.5, result.getDouble(6));
                result.next();
                assertEquals("gw\uFFFD2", result.getString(3), "U+0000 cannot be stored: replaced");
                assertEquals("t".repeat(300), result.getString(5));
                assertEquals(-1.0E300, result.getDouble(6));
                result.next();
                assertEquals(Instant.parse("1999-12-31T23:59:59.999999Z"), result.getTimestamp(1).toInstant());
                assertNull(result.getString(4));
                result.getDouble(6);
                assertEquals(true, result.wasNull());
                assertEquals(0x80340000L, result.getLong(7));
            }
        }
    }
}
