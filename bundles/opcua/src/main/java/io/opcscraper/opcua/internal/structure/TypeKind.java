package io.opcscraper.opcua.internal.structure;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureDefinition;

/**
 * What a data type is for encoding, found from its definition or by following its supertypes to a
 * type of namespace 0 that says it: a built-in type, an enumeration (Int32), the OptionSet
 * structure, a structure, a Variant (BaseDataType and the abstract numbers), or unknown.
 */
enum TypeKind {
    BUILTIN, ENUMERATION, OPTION_SET, STRUCTURE, VARIANT, UNKNOWN;

    /** i=22 Structure, i=12756 Union, i=29 Enumeration, i=12755 OptionSet, i=24 BaseDataType, i=26..28 Number, Integer, UInteger. */
    static final long STRUCTURE_ID = 22;
    static final long UNION_ID = 12756;
    static final long ENUMERATION_ID = 29;
    static final long OPTION_SET_ID = 12755;
    static final long BASE_DATA_TYPE_ID = 24;

    /** The kind of {@code id}; for BUILTIN, {@link #builtinOf} says which. */
    static TypeKind of(NodeId id, Map<NodeId, TypeFacts> facts) {
        Set<NodeId> seen = new HashSet<>();
        NodeId current = id;
        while (current != null && seen.add(current)) {
            Long ns0 = ns0Id(current);
            if (ns0 != null) {
                if (ns0 == STRUCTURE_ID || ns0 == UNION_ID) {
                    return current.equals(id) ? BUILTIN : STRUCTURE;
                }
                if (ns0 == ENUMERATION_ID) {
                    return ENUMERATION;
                }
                if (ns0 == OPTION_SET_ID) {
                    return OPTION_SET;
                }
                if (ns0 == BASE_DATA_TYPE_ID || (ns0 >= 26 && ns0 <= 28)) {
                    // The abstract types themselves are encoded as Variants; a concrete type
                    // below them that is not built in (Decimal, a server's own) has no encoding we know.
                    return current.equals(id) ? VARIANT : UNKNOWN;
                }
                if (Builtin.ofId(ns0) != null) {
                    return BUILTIN;
                }
            }
            TypeFacts known = facts.get(current);
            if (known == null) {
                return UNKNOWN;
            }
            if (known.definition() instanceof StructureDefinition) {
                return STRUCTURE;
            }
            if (known.definition() instanceof EnumDefinition) {
                return ENUMERATION;
            }
            current = known.supertype();
        }
        return UNKNOWN;
    }

    /**
     * The built-in type {@code id} is encoded as when {@link #of} says BUILTIN: itself, or the
     * built-in type it derives from (Duration: Double; i=22 Structure itself: an ExtensionObject).
     */
    static Builtin builtinOf(NodeId id, Map<NodeId, TypeFacts> facts) {
        Set<NodeId> seen = new HashSet<>();
        NodeId current = id;
        while (current != null && seen.add(current)) {
            Long ns0 = ns0Id(current);
            Builtin builtin = ns0 == null ? null : Builtin.ofId(ns0);
            if (builtin != null) {
                return builtin;
            }
            if (ns0 != null && ns0 == UNION_ID) {
                return Builtin.EXTENSION_OBJECT;
            }
            TypeFacts known = facts.get(current);
            current = known == null ? null : known.supertype();
        }
        return null;
    }

    /** The numeric id of a namespace 0 node, else {@code null}. */
    static Long ns0Id(NodeId id) {
        return id.getNamespaceIndex().intValue() == 0 && id.getIdentifier() instanceof UInteger
                ? ((UInteger) id.getIdentifier()).longValue() : null;
    }
}
