package io.opcscraper.opcua.internal.ua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.junit.jupiter.api.Test;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

class NodeIdTextTest {

    @Test
    void namespacesAreWrittenByUriAndSurviveRenumbering() {
        NamespaceTable before = new NamespaceTable();
        before.addUri("urn:other");
        before.addUri("urn:plant");
        NodeId id = new NodeId(2, "Plant/Line01/Temperature");
        String text = NodeIdText.format(id, before);
        assertEquals("nsu=urn:plant;s=Plant/Line01/Temperature", text);

        NamespaceTable after = new NamespaceTable();
        after.addUri("urn:plant");
        assertEquals(new NodeId(1, "Plant/Line01/Temperature"), NodeIdText.parse(text, after).orElseThrow());
        assertTrue(NodeIdText.parse("nsu=urn:gone;i=5", after).isEmpty());
    }

    @Test
    void namespaceZeroAndTheIndexFormAreKept() {
        NamespaceTable table = new NamespaceTable();
        assertEquals("i=85", NodeIdText.format(new NodeId(0, uint(85)), table));
        assertEquals(new NodeId(3, uint(7)), NodeIdText.parse("ns=3;i=7", table).orElseThrow());
    }
}
