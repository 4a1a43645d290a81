package io.opcscraper.opcua.internal.structure;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureField;

import io.opcscraper.opcua.internal.structure.LoadFailures.TemporaryLoadFailure;
import io.opcscraper.opcua.internal.ua.ChunkedRequests;
import io.opcscraper.opcua.internal.ua.ChunkedRequests.Browsed;
import io.opcscraper.opcua.internal.ua.Requests;
import io.opcscraper.opcua.internal.ua.Requests.RequestException;

/**
 * Reads what the server says about data types, round by round until nothing new comes up: per
 * type its BrowseName, IsAbstract and DataTypeDefinition (attribute 23, OPC UA 1.04; Milo 0.6 has
 * no constant for it), its supertype and its "Default Binary" encoding; then the same for the
 * supertypes and the field types found, up to the types of namespace 0 that say what a type is.
 * Every status is checked per item ({@link LoadFailures} judges a Bad one).
 */
final class TypeReader {

    /** The DataTypeDefinition attribute (Part 3 5.8.3), which Milo 0.6's AttributeId lacks. */
    static final UInteger DATA_TYPE_DEFINITION = uint(23);
    private static final int MAX_ROUNDS = 16;
    private static final QualifiedName DEFAULT_BINARY = new QualifiedName(0, "Default Binary");

    private final ChunkedRequests requests;
    private final NamespaceTable namespaces;

    TypeReader(ChunkedRequests requests, NamespaceTable namespaces) {
        this.requests = requests;
        this.namespaces = namespaces;
    }

    /** Adds the facts of {@code wanted} and of every type they lead to to {@code facts}. */
    void read(Collection<NodeId> wanted, Map<NodeId, TypeFacts> facts) throws RequestException, TemporaryLoadFailure {
        Set<NodeId> frontier = new LinkedHashSet<>();
        wanted.forEach(id -> add(id, facts, frontier));
        for (int round = 0; round < MAX_ROUNDS && !frontier.isEmpty(); round++) {
            List<NodeId> ids = new ArrayList<>(frontier);
            frontier.clear();
            List<ReadValueId> reads = new ArrayList<>(3 * ids.size());
            List<BrowseDescription> browses = new ArrayList<>(2 * ids.size());
            for (NodeId id : ids) {
                reads.add(new ReadValueId(id, AttributeId.BrowseName.uid(), null, QualifiedName.NULL_VALUE));
                reads.add(new ReadValueId(id, AttributeId.IsAbstract.uid(), null, QualifiedName.NULL_VALUE));
                reads.add(new ReadValueId(id, DATA_TYPE_DEFINITION, null, QualifiedName.NULL_VALUE));
                browses.add(new BrowseDescription(id, BrowseDirection.Inverse, Identifiers.HasSubtype, false,
                        uint(NodeClass.DataType.getValue()), uint(BrowseResultMask.All.getValue())));
                browses.add(new BrowseDescription(id, BrowseDirection.Forward, Identifiers.HasEncoding, false,
                        uint(NodeClass.Object.getValue()), uint(BrowseResultMask.All.getValue())));
            }
            List<DataValue> values = this.requests.read(reads, "data type attributes");
            List<Browsed> browsed = this.requests.browse(browses, "data types");
            for (int i = 0; i < ids.size(); i++) {
                TypeFacts type = facts(ids.get(i), values.subList(3 * i, 3 * i + 3), browsed.get(2 * i),
                        browsed.get(2 * i + 1));
                if (type == null) {
                    continue;
                }
                facts.put(type.id(), type);
                if (type.supertype() != null) {
                    add(type.supertype(), facts, frontier);
                }
                if (type.definition() instanceof StructureDefinition definition && definition.getFields() != null) {
                    for (StructureField field : definition.getFields()) {
                        if (field.getDataType() != null) {
                            add(field.getDataType(), facts, frontier);
                        }
                    }
                }
            }
        }
    }

    /** Ids at or below 29 of namespace 0 (built-in types, Number, Enumeration, ...) and the abstract bases say what a type is: no need to read them. */
    private static void add(NodeId id, Map<NodeId, TypeFacts> facts, Set<NodeId> frontier) {
        Long ns0 = TypeKind.ns0Id(id);
        boolean base = ns0 != null && (ns0 <= TypeKind.ENUMERATION_ID || ns0 == TypeKind.OPTION_SET_ID
                || ns0 == TypeKind.UNION_ID);
        if (!base && !id.isNull() && !facts.containsKey(id)) {
            frontier.add(id);
        }
    }

    private TypeFacts facts(NodeId id, List<DataValue> values, Browsed supertypes, Browsed encodings)
            throws TemporaryLoadFailure {
        DataValue name = values.get(0);
        if (!good(name.getStatusCode())) {
            check(id, "its BrowseName", name.getStatusCode());
            return null; // the server does not know this type: the types that use it say so
        }
        Object browseName = name.getValue().getValue();
        Object isAbstract = good(values.get(1).getStatusCode()) ? values.get(1).getValue().getValue() : null;
        check(id, "its supertype", supertypes.status());
        check(id, "its encodings", encodings.status());
        NodeId supertype = supertypes.references().stream().filter(r -> Boolean.FALSE.equals(r.getIsForward()))
                .map(this::target).filter(t -> t != null).findFirst().orElse(null);
        NodeId binary = null;
        for (ReferenceDescription reference : encodings.references()) {
            if (DEFAULT_BINARY.equals(reference.getBrowseName())) {
                binary = target(reference);
            }
        }
        String typeName = browseName instanceof QualifiedName q ? q.getName() : String.valueOf(browseName);
        DataValue definition = values.get(2);
        StatusCode status = definition.getStatusCode();
        if (!good(status)) {
            if (status.getValue() != StatusCodes.Bad_AttributeIdInvalid) {
                check(id, "its DataTypeDefinition", status);
            }
            // No 1.04 definition: a dictionary may describe it.
            return new TypeFacts(id, typeName, Boolean.TRUE.equals(isAbstract), supertype, binary, null, null);
        }
        Object raw = definition.getValue().getValue();
        try {
            return new TypeFacts(id, typeName, Boolean.TRUE.equals(isAbstract), supertype, binary,
                    raw instanceof ExtensionObject xo ? DefinitionDecoder.decode(xo) : null, null);
        } catch (DecodeException e) {
            // Kept as the reason: a dictionary may still describe it, else the type says why it failed.
            return new TypeFacts(id, typeName, Boolean.TRUE.equals(isAbstract), supertype, binary, null, null,
                    "its DataTypeDefinition does not decode: " + e.getMessage());
        }
    }

    private NodeId target(ReferenceDescription reference) {
        return reference.getNodeId() == null ? null : reference.getNodeId().toNodeId(this.namespaces).orElse(null);
    }

    private static boolean good(StatusCode status) {
        return status == null || status.isGood();
    }

    /** A temporary Bad status stops the load (it is retried); a permanent one leaves the fact out. */
    private static void check(NodeId id, String what, StatusCode status) throws TemporaryLoadFailure {
        if (!good(status) && LoadFailures.temporary(status.getValue())) {
            throw new TemporaryLoadFailure("reading " + what + " of data type " + id + " gave "
                    + Requests.name(status));
        }
    }
}
