package io.opcscraper.opcua.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.junit.jupiter.api.Test;

/** Equal values come back as the first instance seen; distinct values stay distinct; null stays null. */
class CanonicalTest {

    @Test
    void equalStringsShareTheFirstInstance() {
        Canonical<String> names = new Canonical<>();
        String first = new String("Temperature");
        String second = new String("Temperature");
        assertSame(first, names.of(first));
        assertSame(first, names.of(second), "an equal name decoded again is the first instance");
        assertEquals("Pressure", names.of(new String("Pressure")));
        assertEquals(2, names.size());
        assertNull(names.of(null));
    }

    @Test
    void equalNodeIdsShareTheFirstInstance() {
        Canonical<NodeId> types = new Canonical<>();
        NodeId decoded = new NodeId(UShort.valueOf(0), UInteger.valueOf(11));
        NodeId again = new NodeId(UShort.valueOf(0), UInteger.valueOf(11));
        assertSame(decoded, types.of(decoded));
        assertSame(decoded, types.of(again));
        assertEquals(Identifiers.Double, types.of(again), "still the same id");
        assertSame(Identifiers.Int32, types.of(Identifiers.Int32));
    }
}
