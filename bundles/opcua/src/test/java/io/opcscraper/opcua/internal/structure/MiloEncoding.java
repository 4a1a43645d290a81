package io.opcscraper.opcua.internal.structure;

import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.channel.EncodingLimits;
import org.eclipse.milo.opcua.stack.core.serialization.OpcUaBinaryStreamEncoder;
import org.eclipse.milo.opcua.stack.core.serialization.SerializationContext;
import org.eclipse.milo.opcua.stack.core.types.DataTypeManager;
import org.eclipse.milo.opcua.stack.core.types.OpcUaDataTypeManager;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Bodies written by Milo's own Part 6 encoder, an implementation independent of the reader under
 * test. (Tests run on the class path, where the Netty copy inside the Milo bundle is visible.)
 */
final class MiloEncoding {

    /** Writes values with Milo's encoder. */
    interface Writes {
        void to(OpcUaBinaryStreamEncoder encoder);
    }

    static final SerializationContext CONTEXT = new SerializationContext() {
        private final NamespaceTable namespaces = new NamespaceTable();

        @Override
        public EncodingLimits getEncodingLimits() {
            return EncodingLimits.DEFAULT;
        }

        @Override
        public NamespaceTable getNamespaceTable() {
            return this.namespaces;
        }

        @Override
        public DataTypeManager getDataTypeManager() {
            return OpcUaDataTypeManager.getInstance();
        }
    };

    private MiloEncoding() {
    }

    static byte[] encode(Writes writes) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            writes.to(new OpcUaBinaryStreamEncoder(CONTEXT).setBuffer(buffer));
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            return bytes;
        } finally {
            buffer.release();
        }
    }
}
