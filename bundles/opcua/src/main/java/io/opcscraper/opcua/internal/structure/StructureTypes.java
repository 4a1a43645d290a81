package io.opcscraper.opcua.internal.structure;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

import io.opcscraper.api.CatalogField;

/**
 * The structure types of one catalog, as one session of the server describes them: the layout
 * (the decoder) of each, by data type and by binary encoding, or why it cannot be decoded.
 * Immutable; a load makes a new one. Bounded: {@link TypeCompiler} stops compiling at
 * {@value #MAX_BYTES} bytes of layouts.
 */
public final class StructureTypes {

    /** What the layouts of one catalog may take in memory, roughly. */
    public static final long MAX_BYTES = 4L << 20;

    private static final StructureTypes NONE = new StructureTypes(Map.of(), Map.of(), new String[0], 0, null);

    /** A structure type: its layout, or why it has none. */
    record Entry(String typeId, Layout layout, String failure) {
    }

    private final Map<NodeId, Entry> byDataType;
    private final Map<NodeId, Entry> byEncoding;
    private final String[] namespaces;
    private final long bytes;
    private final String problem;
    private final StructureDecoder decoder;

    StructureTypes(Map<NodeId, Entry> byDataType, Map<NodeId, Entry> byEncoding, String[] namespaces, long bytes,
            String problem) {
        this.byDataType = Map.copyOf(byDataType);
        this.byEncoding = Map.copyOf(byEncoding);
        this.namespaces = namespaces.clone();
        this.bytes = bytes;
        this.problem = problem;
        this.decoder = new StructureDecoder(id -> {
            Entry entry = this.byEncoding.get(id);
            return entry == null ? null : entry.layout();
        });
    }

    /** No structure types (before the first load). */
    public static StructureTypes none() {
        return NONE;
    }

    /** No structure types, read in a session with these namespaces. */
    static StructureTypes empty(String[] namespaces) {
        return new StructureTypes(Map.of(), Map.of(), namespaces, 0, null);
    }

    /** These types, with a problem that kept every structure type from being read. */
    StructureTypes withProblem(String why) {
        return new StructureTypes(this.byDataType, this.byEncoding, this.namespaces, this.bytes, why);
    }

    /** Why no structure type could be read at all, else {@code null}. */
    public String problem() {
        return this.problem;
    }

    /** How one value went. */
    public enum Outcome {
        /** Decoded: its leaves went to the sink. */
        DECODED,
        /** No type of this catalog has this encoding. */
        UNKNOWN_ENCODING,
        /** Its type cannot be decoded; discovery said why. */
        TYPE_FAILED,
        /** The body does not match the type's description (a changed type, a broken server). */
        MISMATCH,
        /** The types were read in an earlier session whose namespace indexes differ. */
        STALE
    }

    /**
     * @param typeId the value's data type (its stable text form), or the encoding id when unknown
     * @param reason why it was not decoded, {@code null} when it was
     */
    public record Decoded(Outcome outcome, String typeId, String reason, int rows, int truncated) {
    }

    /** Decodes one ExtensionObject body of encoding {@code encodingId} into {@code leaves}. */
    public Decoded decode(NodeId encodingId, byte[] body, StringBuilder path, Leaves leaves) {
        Entry entry = this.byEncoding.get(encodingId);
        if (entry == null && this.problem != null) {
            return new Decoded(Outcome.TYPE_FAILED, String.valueOf(encodingId), this.problem, 0, 0);
        }
        if (entry == null) {
            return new Decoded(Outcome.UNKNOWN_ENCODING, String.valueOf(encodingId),
                    "no structure type of this catalog has the encoding " + encodingId, 0, 0);
        }
        if (entry.layout() == null) {
            return new Decoded(Outcome.TYPE_FAILED, entry.typeId(), entry.failure(), 0, 0);
        }
        int mark = path.length();
        try {
            StructureDecoder.Outcome outcome = this.decoder.decode(entry.layout(), body, path, leaves);
            return new Decoded(Outcome.DECODED, entry.typeId(), null, outcome.rows(), outcome.truncated());
        } catch (DecodeException e) {
            return new Decoded(Outcome.MISMATCH, entry.typeId(), e.getMessage(), 0, 0);
        } finally {
            path.setLength(mark);
        }
    }

    /** Whether values of {@code dataTypeId} are structures of this catalog (decodable or not). */
    public boolean isStructure(NodeId dataTypeId) {
        return this.byDataType.containsKey(dataTypeId);
    }

    /**
     * The leaves of a variable of {@code dataTypeId} for the catalog, empty when it is not a
     * structure that can be decoded.
     *
     * @param array whether the variable holds an array of structures
     */
    public List<CatalogField> fields(NodeId dataTypeId, boolean array, LeafFields.Units units) {
        Entry entry = this.byDataType.get(dataTypeId);
        if (entry == null || entry.layout() == null) {
            return List.of();
        }
        return LeafFields.of(entry.layout(), array ? "[]" : "", array ? LeafFields.Units.NONE : units);
    }

    /** The types that cannot be decoded, by data type id text, with the reason. */
    public Map<String, String> failures() {
        Map<String, String> failures = new java.util.TreeMap<>();
        this.byDataType.values().stream().filter(e -> e.layout() == null)
                .forEach(e -> failures.put(e.typeId(), e.failure()));
        return Collections.unmodifiableMap(failures);
    }

    /** The layout of {@code dataTypeId}, for tests and benchmarks; {@code null} when none. */
    Layout layout(NodeId dataTypeId) {
        Entry entry = this.byDataType.get(dataTypeId);
        return entry == null ? null : entry.layout();
    }

    public long estimatedBytes() {
        return this.bytes;
    }

    public int size() {
        return this.byDataType.size();
    }

    /** Whether these types were read with the namespace indexes {@code table} has now. */
    public boolean sameNamespaces(NamespaceTable table) {
        return this.byDataType.isEmpty() || Arrays.equals(this.namespaces, table.toArray());
    }
}
