package io.opcscraper.kura.emulator.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {

    @TempDir
    Path dir;

    @Test
    void everyKuraScalarTypeAndArraysComeBackAsStored() throws IOException {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("kura.service.pid", "timescale-writer");
        properties.put("text", "a <b> & \"c\" 'd'\nline two ✓");
        properties.put("int", 42);
        properties.put("long", Long.MAX_VALUE);
        properties.put("double", 0.1);
        properties.put("float", 1.5f);
        properties.put("bool", true);
        properties.put("short", (short) -3);
        properties.put("byte", (byte) 7);
        properties.put("char", 'x');
        properties.put("db.password", "QUJDREVGR0g=");
        properties.put("list", new String[] { "one", "", "three" });
        properties.put("numbers", new int[] { 1, 2 });
        properties.put("none", new String[0]);
        Path file = this.dir.resolve("snapshot_1.xml");

        SnapshotFile.write(file, List.of(new SnapshotEntry("timescale-writer", "io.opcscraper.timescale.Writer",
                properties, Set.of("db.password"))));
        List<SnapshotEntry> read = SnapshotFile.read(file);

        assertEquals(1, read.size());
        SnapshotEntry entry = read.get(0);
        assertEquals("timescale-writer", entry.name());
        assertEquals("io.opcscraper.timescale.Writer", entry.factoryPid());
        assertEquals(Set.of("db.password"), entry.passwords());
        assertEquals(properties.keySet(), entry.properties().keySet(), "no key added or lost");
        for (String scalar : List.of("kura.service.pid", "text", "int", "long", "double", "float", "bool", "short",
                "byte", "char", "db.password")) {
            assertEquals(properties.get(scalar), entry.properties().get(scalar), scalar);
        }
        assertArrayEquals(new String[] { "one", "", "three" }, (String[]) entry.properties().get("list"));
        assertArrayEquals(new Integer[] { 1, 2 }, (Integer[]) entry.properties().get("numbers"));
        assertArrayEquals(new String[0], (String[]) entry.properties().get("none"));
    }

    @Test
    void theFileLooksLikeKurasSnapshotAndIsReadableByItsOwnerOnly() throws IOException {
        Path file = this.dir.resolve("snapshot_2.xml");
        SnapshotFile.write(file, List.of(new SnapshotEntry("w", "io.opcscraper.timescale.Writer",
                Map.of("db.password", "ENCRYPTED", "table.name", "t"), Set.of("db.password"))));

        String xml = Files.readString(file);
        assertTrue(xml.contains("<esf:configurations xmlns:esf=\"" + SnapshotFile.NAMESPACE + "\">"), xml);
        assertTrue(xml.contains("<esf:configuration pid=\"w\">"), xml);
        assertTrue(xml.contains("name=\"service.factoryPid\" array=\"false\" encrypted=\"false\" type=\"String\">"
                + "<esf:value>io.opcscraper.timescale.Writer</esf:value>"), xml);
        assertTrue(xml.contains("name=\"db.password\" array=\"false\" encrypted=\"true\" type=\"Password\">"
                + "<esf:value>ENCRYPTED</esf:value>"), xml);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));
        assertFalse(Files.exists(this.dir.resolve("snapshot_2.xml.partial")));
    }

    @Test
    void aTypeKuraCannotKeepIsRefusedNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SnapshotFile.write(this.dir.resolve("snapshot_3.xml"), List.of(new SnapshotEntry("w", "f",
                        Map.of("when", new java.util.Date()), Set.of()))));
        assertTrue(e.getMessage().contains("'when'") && e.getMessage().contains("java.util.Date"), e.getMessage());
    }

    @Test
    void aBrokenFileIsNamedWithTheLineAndTheProperty() throws IOException {
        Path file = this.dir.resolve("snapshot_4.xml");
        Files.writeString(file, "<?xml version=\"1.0\"?>\n<esf:configurations xmlns:esf=\"" + SnapshotFile.NAMESPACE
                + "\">\n<esf:configuration pid=\"w\"><esf:properties>\n"
                + "<esf:property name=\"interval.ms\" array=\"false\" encrypted=\"false\" type=\"Integer\">"
                + "<esf:value>soon</esf:value></esf:property>\n</esf:properties></esf:configuration></esf:configurations>");
        IOException e = assertThrows(IOException.class, () -> SnapshotFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("line 4")
                && e.getMessage().contains("'interval.ms': 'soon' is not a Integer"), e.getMessage());

        Files.writeString(file, "not xml");
        IOException notXml = assertThrows(IOException.class, () -> SnapshotFile.read(file));
        assertTrue(notXml.getMessage().contains(file + ": not a snapshot"), notXml.getMessage());
    }

    @Test
    void anEntryWithoutFactoryPidIsRefused() throws IOException {
        Path file = this.dir.resolve("snapshot_5.xml");
        Files.writeString(file, "<esf:configurations xmlns:esf=\"" + SnapshotFile.NAMESPACE + "\">"
                + "<esf:configuration pid=\"lonely\"><esf:properties/></esf:configuration></esf:configurations>");
        IOException e = assertThrows(IOException.class, () -> SnapshotFile.read(file));
        assertTrue(e.getMessage().contains("configuration 'lonely' has no service.factoryPid"), e.getMessage());
    }
}
