package io.opcscraper.opcua.internal.structure;

import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.structured.DataTypeDefinition;

/**
 * What the server says about one data type, as {@link TypeReader} read it.
 *
 * @param id the data type's node id (this session's namespace indexes)
 * @param browseName its browse name (a standard type's name in the OPC UA dictionary)
 * @param isAbstract its IsAbstract attribute: a field of an abstract structure type is encoded as
 *        an ExtensionObject, of a concrete one in place
 * @param supertype the type it is a subtype of (inverse HasSubtype), {@code null} when none
 * @param binaryEncoding its "Default Binary" encoding node, {@code null} when it has none
 * @param definition its DataTypeDefinition attribute (a StructureDefinition or EnumDefinition,
 *        OPC UA 1.04), {@code null} when the server has none for it
 * @param dictionaryEntry where a 1.03 data type dictionary describes it, {@code null} when none does
 */
record TypeFacts(NodeId id, String browseName, boolean isAbstract, NodeId supertype, NodeId binaryEncoding,
        DataTypeDefinition definition, DictionaryEntry dictionaryEntry) {

    /** The dictionary variable that describes a type, and the type's name in it. */
    record DictionaryEntry(NodeId dictionary, String name) {
    }
}
