package io.opcscraper.kura.emulator.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * Reads and writes a snapshot file in the shape of Kura's {@code snapshot_<id>.xml}: one
 * {@code esf:configuration} per instance, {@code pid} = its {@code kura.service.pid}, with one
 * {@code esf:property} per stored property ({@code name}, {@code type} = Kura's scalar name:
 * String, Long, Double, Float, Integer, Byte, Char, Boolean, Short or Password, {@code array},
 * {@code encrypted}) holding one {@code esf:value} per element. Password values are written as
 * ConfigurationAdmin stores them: the CryptoService's encrypted string, {@code encrypted="true"}.
 * Unlike Kura, the file as a whole is not encrypted, so that a test or an admin can read it.
 */
final class SnapshotFile {

    static final String NAMESPACE = "http://eurotech.com/esf/2.0";
    private static final String FACTORY_PID = "service.factoryPid";

    private SnapshotFile() {
    }

    /** Writes the entries to {@code file} (owner-only, through a partial file moved into place). */
    static void write(Path file, List<SnapshotEntry> entries) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("esf", "configurations", NAMESPACE);
            xml.writeNamespace("esf", NAMESPACE);
            for (SnapshotEntry entry : entries) {
                writeEntry(xml, entry);
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write the snapshot " + file + ": " + e.getMessage(), e);
        }
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.setPosixFilePermissions(partial, EnumSet.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE));
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeEntry(XMLStreamWriter xml, SnapshotEntry entry) throws XMLStreamException {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("esf", "configuration", NAMESPACE);
        xml.writeAttribute("pid", entry.name());
        xml.writeCharacters("\n    ");
        xml.writeStartElement("esf", "properties", NAMESPACE);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(FACTORY_PID, entry.factoryPid());
        properties.putAll(entry.properties());
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            writeProperty(xml, property.getKey(), property.getValue(), entry.passwords().contains(property.getKey()));
        }
        xml.writeCharacters("\n    ");
        xml.writeEndElement();
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
    }

    private static void writeProperty(XMLStreamWriter xml, String name, Object value, boolean password)
            throws XMLStreamException {
        boolean array = value.getClass().isArray();
        Class<?> elementType = array ? value.getClass().getComponentType() : value.getClass();
        String type = password && elementType == String.class ? "Password" : KuraScalar.nameOf(elementType, name);
        xml.writeCharacters("\n      ");
        xml.writeStartElement("esf", "property", NAMESPACE);
        xml.writeAttribute("name", name);
        xml.writeAttribute("array", Boolean.toString(array));
        xml.writeAttribute("encrypted", Boolean.toString(password));
        xml.writeAttribute("type", type);
        int n = array ? Array.getLength(value) : 1;
        for (int i = 0; i < n; i++) {
            xml.writeStartElement("esf", "value", NAMESPACE);
            xml.writeCharacters(String.valueOf(array ? Array.get(value, i) : value));
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    /** Reads a snapshot; an error names the file and the line. */
    static List<SnapshotEntry> read(Path file) throws IOException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            try {
                return readEntries(xml);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ", line " + xml.getLocation().getLineNumber() + ": " + e.getMessage(), e);
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            throw new IOException(file + ": not a snapshot: " + e.getMessage(), e);
        }
    }

    private static List<SnapshotEntry> readEntries(XMLStreamReader xml) throws XMLStreamException {
        List<SnapshotEntry> entries = new ArrayList<>();
        String name = null;
        Map<String, Object> properties = null;
        Set<String> passwords = null;
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT && "configuration".equals(xml.getLocalName())) {
                name = required(xml, "pid");
                properties = new LinkedHashMap<>();
                passwords = new HashSet<>();
            } else if (event == XMLStreamConstants.START_ELEMENT && "property".equals(xml.getLocalName())) {
                if (properties == null) {
                    throw new IllegalArgumentException("esf:property outside an esf:configuration");
                }
                String property = required(xml, "name");
                String type = required(xml, "type");
                boolean array = Boolean.parseBoolean(xml.getAttributeValue(null, "array"));
                List<String> values = readValues(xml);
                if (!array && values.size() != 1) {
                    throw new IllegalArgumentException("property '" + property + "' has " + values.size()
                            + " values and is not an array");
                }
                properties.put(property, array ? KuraScalar.array(type, values, property)
                        : KuraScalar.parse(type, values.get(0), property));
                if ("Password".equals(type)) {
                    passwords.add(property);
                }
            } else if (event == XMLStreamConstants.END_ELEMENT && "configuration".equals(xml.getLocalName())) {
                Object factoryPid = properties.remove(FACTORY_PID);
                if (!(factoryPid instanceof String)) {
                    throw new IllegalArgumentException("configuration '" + name + "' has no " + FACTORY_PID);
                }
                entries.add(new SnapshotEntry(name, (String) factoryPid, properties, passwords));
                properties = null;
            }
        }
        return entries;
    }

    /** The text of each {@code esf:value} up to the end of the current {@code esf:property}. */
    private static List<String> readValues(XMLStreamReader xml) throws XMLStreamException {
        List<String> values = new ArrayList<>();
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT && "value".equals(xml.getLocalName())) {
                values.add(xml.getElementText());
            } else if (event == XMLStreamConstants.END_ELEMENT && "property".equals(xml.getLocalName())) {
                return values;
            }
        }
        throw new IllegalArgumentException("the file ends inside an esf:property");
    }

    private static String required(XMLStreamReader xml, String attribute) {
        String value = xml.getAttributeValue(null, attribute);
        if (value == null) {
            throw new IllegalArgumentException("esf:" + xml.getLocalName() + " without the attribute '" + attribute + "'");
        }
        return value;
    }
}
