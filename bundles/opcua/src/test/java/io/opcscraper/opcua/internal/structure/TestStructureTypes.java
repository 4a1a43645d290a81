package io.opcscraper.opcua.internal.structure;

import java.util.Map;
import java.util.Set;

import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/** {@link StructureTypes} of {@link TestTypes} as a 1.04 server describes them, for tests of other packages. */
public final class TestStructureTypes {

    public static final NodeId MOTOR_ENCODING = TestTypes.MOTOR_ENCODING;

    private TestStructureTypes() {
    }

    public static StructureTypes motorAndReading() throws Exception {
        return TypeCompiler.compile(Set.of(TestTypes.MOTOR, TestTypes.READING), TestTypes.definitions(), Map.of(),
                BsdDictionary.standard(), TestTypes::name, new String[0], StructureTypes.MAX_BYTES);
    }

    /** A Motor body (Part 6) with Torque present, as Milo's encoder writes it; {@code extra} bytes appended. */
    public static byte[] motorBody(int extra) {
        byte[] body = MiloEncoding.encode(e -> {
            e.writeUInt32(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint(1));
            e.writeFloat(1450.5f);
            e.writeDouble(3.25);
            e.writeInt32(1);
            e.writeInt32(1);
            e.writeDouble(60.0);
            e.writeDouble(12.0);
            e.writeDouble(0.0);
            e.writeDouble(3000.0);
            e.writeLocalizedText(org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText.english("M1"));
        });
        return java.util.Arrays.copyOf(body, body.length + extra);
    }
}
