package io.opcscraper.opcua.internal.structure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.eclipse.milo.opcua.binaryschema.parser.BsdParser;
import org.eclipse.milo.opcua.binaryschema.parser.DictionaryDescription;
import org.eclipse.milo.opcua.sdk.client.dtd.DataTypeDictionaryReader;
import org.eclipse.milo.opcua.stack.core.serialization.codecs.OpcUaBinaryDataTypeCodec;
import org.opcfoundation.opcua.binaryschema.EnumeratedType;
import org.opcfoundation.opcua.binaryschema.StructuredType;

/**
 * One 1.03 data type dictionary (an OPC Binary schema, Part 3 Annex C / Part 5 D), parsed with
 * Milo's {@code BsdParser}: its target namespace and its structured and enumerated types by name.
 * Layouts are compiled from it by {@link DictionaryLayouts}.
 */
final class BsdDictionary {

    /** The OPC Binary schema's own types ({@code opc:Double}, {@code opc:Bit}). */
    static final String OPC_BINARY = "http://opcfoundation.org/BinarySchema/";
    /** The OPC UA namespace: its dictionary holds the standard structures ({@code ua:Range}). */
    static final String OPC_UA = "http://opcfoundation.org/UA/";

    private final String targetNamespace;
    private final Map<String, StructuredType> structures;
    private final Map<String, EnumeratedType> enumerations;

    private BsdDictionary(String targetNamespace, Map<String, StructuredType> structures,
            Map<String, EnumeratedType> enumerations) {
        this.targetNamespace = targetNamespace;
        this.structures = Collections.unmodifiableMap(structures);
        this.enumerations = Collections.unmodifiableMap(enumerations);
    }

    String targetNamespace() {
        return this.targetNamespace;
    }

    StructuredType structure(String name) {
        return this.structures.get(name);
    }

    EnumeratedType enumeration(String name) {
        return this.enumerations.get(name);
    }

    int size() {
        return this.structures.size() + this.enumerations.size();
    }

    /** The OPC UA namespace's dictionary, as Milo ships it (Milo's dictionary reader uses the same copy). */
    static BsdDictionary standard() throws DictionaryException {
        try (InputStream in = DataTypeDictionaryReader.class.getResourceAsStream("/Opc.Ua.Types.bsd")) {
            if (in == null) {
                throw new DictionaryException("the Milo bundle has no /Opc.Ua.Types.bsd");
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new DictionaryException("cannot read Milo's /Opc.Ua.Types.bsd: " + e.getMessage());
        }
    }

    /**
     * Parses a dictionary as a server holds it. Null bytes and white space at its end are cut off
     * (some servers add them). A document type declaration is refused before the XML parser sees
     * it: a dictionary has no use for one, and an external entity could read local files.
     */
    static BsdDictionary parse(byte[] xml) throws DictionaryException {
        int length = xml.length;
        while (length > 0 && (xml[length - 1] == 0 || Character.isWhitespace(xml[length - 1]))) {
            length--;
        }
        String head = new String(xml, 0, Math.min(length, 4096), StandardCharsets.ISO_8859_1)
                .toUpperCase(Locale.ROOT);
        if (head.contains("<!DOCTYPE") || head.contains("<!ENTITY")) {
            throw new DictionaryException("it declares a document type, which a data type dictionary has no use for");
        }
        Capture capture = new Capture();
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        // JAXB finds its implementation through the context class loader: the Milo bundle's has it.
        thread.setContextClassLoader(BsdParser.class.getClassLoader());
        try {
            DictionaryDescription description = capture.parse(new ByteArrayInputStream(xml, 0, length));
            return new BsdDictionary(description.getNamespaceUri(), capture.structures, capture.enumerations);
        } catch (Exception e) {
            // JAXBException (a type this bundle cannot import), or what the parser threw on bad input.
            throw new DictionaryException("it does not parse: " + firstLine(e));
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /** The innermost message (JAXB wraps the XML parser's), on one line. */
    private static String firstLine(Throwable e) {
        String message = e.toString();
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                message = cause.getMessage();
            }
        }
        String line = message.strip().split("\n", 2)[0];
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** Milo's parser, keeping the types it reads instead of making Milo's codecs of them. */
    private static final class Capture extends BsdParser {

        final Map<String, StructuredType> structures = new LinkedHashMap<>();
        final Map<String, EnumeratedType> enumerations = new LinkedHashMap<>();

        @Override
        protected OpcUaBinaryDataTypeCodec<?> getEnumCodec(EnumeratedType type) {
            this.enumerations.put(type.getName(), type);
            return null;
        }

        @Override
        protected OpcUaBinaryDataTypeCodec<?> getStructCodec(StructuredType type) {
            this.structures.put(type.getName(), type);
            return null;
        }
    }

    /** A dictionary that cannot be used, and why. */
    static final class DictionaryException extends Exception {

        private static final long serialVersionUID = 1L;

        DictionaryException(String message) {
            super(message);
        }
    }
}
