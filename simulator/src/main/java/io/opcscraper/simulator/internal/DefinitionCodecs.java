package io.opcscraper.simulator.internal;

import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.channel.EncodingLimits;
import org.eclipse.milo.opcua.stack.core.serialization.SerializationContext;
import org.eclipse.milo.opcua.stack.core.types.DataTypeManager;
import org.eclipse.milo.opcua.stack.core.types.DefaultDataTypeManager;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumField;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureField;

/**
 * Milo 0.6.16 generates codecs for StructureDefinition, EnumDefinition and their fields but does not
 * register them (its data type manager knows no 1.04 type, its AttributeId not the
 * DataTypeDefinition attribute): without them it can neither encode nor decode that attribute.
 * The simulator's server registers them in its own manager; a test client in its own.
 */
public final class DefinitionCodecs {

    private DefinitionCodecs() {
    }

    /** A serialization context of Milo's standard types plus these codecs, for a client (a test) that decodes definitions. */
    public static SerializationContext context(NamespaceTable namespaces) {
        DataTypeManager manager = DefaultDataTypeManager.createAndInitialize(namespaces);
        register(manager, namespaces);
        return new SerializationContext() {
            @Override
            public EncodingLimits getEncodingLimits() {
                return EncodingLimits.DEFAULT;
            }

            @Override
            public NamespaceTable getNamespaceTable() {
                return namespaces;
            }

            @Override
            public DataTypeManager getDataTypeManager() {
                return manager;
            }
        };
    }

    public static void register(DataTypeManager manager, NamespaceTable namespaces) {
        QualifiedName binary = new QualifiedName(0, "Default Binary");
        manager.registerCodec(StructureDefinition.BINARY_ENCODING_ID.toNodeId(namespaces).orElseThrow(),
            new StructureDefinition.Codec().asBinaryCodec());
        manager.registerCodec(EnumDefinition.BINARY_ENCODING_ID.toNodeId(namespaces).orElseThrow(),
            new EnumDefinition.Codec().asBinaryCodec());
        manager.registerCodec(binary, StructureField.TYPE_ID.toNodeId(namespaces).orElseThrow(),
            new StructureField.Codec().asBinaryCodec());
        manager.registerCodec(binary, EnumField.TYPE_ID.toNodeId(namespaces).orElseThrow(),
            new EnumField.Codec().asBinaryCodec());
    }
}
