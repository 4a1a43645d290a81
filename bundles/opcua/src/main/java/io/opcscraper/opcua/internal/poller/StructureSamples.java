package io.opcscraper.opcua.internal.poller;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.opcua.internal.structure.Leaves;
import io.opcscraper.opcua.internal.structure.StructureTypes;
import io.opcscraper.opcua.internal.structure.StructureTypes.Decoded;
import io.opcscraper.opcua.internal.structure.StructureTypes.Outcome;

/**
 * The leaves of structured values (an ExtensionObject, or an array of them: {@code Tag[i]}), decoded
 * with the catalog's structure types. A value is stored whole or not at all: its leaves are kept
 * aside until the body was decoded to its last byte. A value that is not decoded is counted
 * ({@code values.undecoded}) and said once per type: a type discovery could not describe was
 * already said there; a body that does not match its type's description is said here and asks
 * discovery to read the descriptions again.
 */
final class StructureSamples {

    private static final Logger LOG = LoggerFactory.getLogger(StructureSamples.class);
    /** Types and encodings said per set of types; beyond this many, values are only counted. */
    private static final int MAX_SAID = 1000;

    /** Where a decoded value's leaves go: the tag (variable's tag name and path) and the number. */
    interface Rows {
        void row(String tag, double value);
    }

    /** Elements beyond the array cap were left out of a value of {@code node}: counted, said once per node. */
    interface Truncation {
        void truncated(CatalogNode node, long elements);
    }

    private final String clientId;
    private final LongAdder undecoded;
    private final Truncation truncated;
    private final Consumer<String> mismatch;
    private final Set<String> said = new HashSet<>();
    private volatile StructureTypes types = StructureTypes.none();
    private volatile boolean sameSession = true;
    private StructureTypes saidFor;

    /**
     * @param truncated told of the array elements (or rows beyond 10,000) a value could not give
     * @param mismatch told the type id of values that do not match its description
     */
    StructureSamples(String clientId, LongAdder undecoded, Truncation truncated, Consumer<String> mismatch) {
        this.clientId = clientId;
        this.undecoded = undecoded;
        this.truncated = truncated;
        this.mismatch = mismatch;
    }

    /** The types to decode with from now on, and whether they were read in the current session. */
    void use(StructureTypes types, boolean sameSession) {
        this.types = types;
        this.sameSession = sameSession;
    }

    static boolean isStructured(Object raw) {
        return raw instanceof ExtensionObject || raw instanceof ExtensionObject[];
    }

    /** The rows of one structured value of {@code node}. */
    void map(CatalogNode node, Object raw, Rows rows) {
        StructureTypes current = this.types;
        if (!this.sameSession) {
            this.undecoded.increment(); // discovery reads the types of the new session; not said per type
            return;
        }
        boolean array = raw instanceof ExtensionObject[];
        ExtensionObject[] values = array ? (ExtensionObject[]) raw : new ExtensionObject[] {(ExtensionObject) raw};
        int kept = Math.min(values.length, SampleMapper.MAX_ARRAY_ELEMENTS);
        if (values.length > kept) {
            this.truncated.truncated(node, values.length - kept);
        }
        Buffer buffer = new Buffer();
        StringBuilder path = new StringBuilder(node.tagName() == null ? "" : node.tagName());
        int mark = path.length();
        for (int i = 0; i < kept; i++) {
            ExtensionObject value = values[i];
            if (value == null || value.isNull()) {
                continue;
            }
            if (array) {
                path.append('[').append(i).append(']');
            }
            Decoded decoded = value.getBody() instanceof ByteString body
                    ? current.decode(value.getEncodingId(), body.bytesOrEmpty(), path, buffer)
                    : new Decoded(Outcome.UNKNOWN_ENCODING, String.valueOf(value.getEncodingId()),
                            "its body is XML, not binary", 0, 0);
            path.setLength(mark);
            if (decoded.outcome() == Outcome.DECODED) {
                buffer.emit(rows);
                if (decoded.truncated() > 0) {
                    this.truncated.truncated(node, decoded.truncated());
                }
            } else {
                buffer.clear();
                this.undecoded.increment();
                say(current, node, decoded);
            }
        }
    }

    private void say(StructureTypes current, CatalogNode node, Decoded decoded) {
        if (decoded.outcome() == Outcome.TYPE_FAILED) {
            return; // discovery said it, with the reason
        }
        synchronized (this.said) {
            if (this.saidFor != current) {
                this.said.clear();
                this.saidFor = current;
            }
            if (this.said.size() >= MAX_SAID || !this.said.add(decoded.outcome() + " " + decoded.typeId())) {
                return;
            }
        }
        if (decoded.outcome() == Outcome.MISMATCH) {
            LOG.warn("{}: {} ({}): a value of structure type {} does not match the server's description of the type"
                    + " ({}): not stored", this.clientId, node.nodeId(), node.browsePath(), decoded.typeId(),
                    decoded.reason());
            this.mismatch.accept(decoded.typeId());
        } else {
            LOG.warn("{}: {} ({}): a structured value is not decoded: {}: not stored", this.clientId, node.nodeId(),
                    node.browsePath(), decoded.reason());
        }
    }

    /** The leaves of one value, kept until it decoded to its end. */
    private static final class Buffer implements Leaves {
        private final List<String> tags = new ArrayList<>();
        private double[] values = new double[8];

        @Override
        public void leaf(CharSequence path, double value) {
            if (this.tags.size() == this.values.length) {
                this.values = Arrays.copyOf(this.values, 2 * this.values.length);
            }
            this.values[this.tags.size()] = value;
            this.tags.add(path.toString());
        }

        void emit(Rows rows) {
            for (int i = 0; i < this.tags.size(); i++) {
                rows.row(this.tags.get(i), this.values[i]);
            }
            clear();
        }

        void clear() {
            this.tags.clear();
        }
    }
}
