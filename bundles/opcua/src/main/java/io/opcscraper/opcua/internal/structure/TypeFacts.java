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
 * @param definitionProblem why its DataTypeDefinition could not be used although the server has one,
 *        else {@code null}
 */
record TypeFacts(NodeId id, String browseName, boolean isAbstract, NodeId supertype, NodeId binaryEncoding,
        DataTypeDefinition definition, DictionaryEntry dictionaryEntry, String definitionProblem) {

    TypeFacts(NodeId id, String browseName, boolean isAbstract, NodeId supertype, NodeId binaryEncoding,
            DataTypeDefinition definition, DictionaryEntry dictionaryEntry) {
        this(id, browseName, isAbstract, supertype, binaryEncoding, definition, dictionaryEntry, null);
    }

    /** These facts, with the type's entry in a dictionary. */
    TypeFacts with(DictionaryEntry entry) {
        return new TypeFacts(this.id, this.browseName, this.isAbstract, this.supertype, this.binaryEncoding,
                this.definition, entry, this.definitionProblem);
    }

    /** The dictionary variable that describes a type, and the type's name in it. */
    record DictionaryEntry(NodeId dictionary, String name) {
    }
}
