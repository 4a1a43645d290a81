package io.opcscraper.opcua.internal.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.junit.jupiter.api.Test;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.opcua.internal.ua.NodeIdText;

/** Node ids held compactly are made again equal to the ids they were parsed as, whatever their kind. */
class CompactNodeIdsTest {

    private static final String URI = "urn:test:plant";
    private static final String OTHER = "urn:test:other";

    private final NamespaceTable namespaces = new NamespaceTable();

    CompactNodeIdsTest() {
        this.namespaces.addUri(URI);
        this.namespaces.addUri(OTHER);
    }

    @Test
    void everyKindOfIdIsMadeAgainEqual() {
        List<CatalogNode> nodes = List.of(
                node("nsu=" + URI + ";s=Plant/Line1/Temperature", "Line1/Temperature", "Temperature"),
                node("nsu=" + URI + ";s=Line1/Pressure", "Line1/Pressure", "Pressure"),
                node("nsu=" + URI + ";s=Flow", "Line1/Flow", "Flow"),
                node("nsu=" + URI + ";s=a;b=c", "Line1/Odd", "Odd"),
                node("nsu=" + URI + ";i=42", "Line1/N", "N"),
                node("nsu=" + URI + ";i=4294967295", "Line1/Max", "Max"),
                node("nsu=" + URI + ";g=09087e75-8e5e-499b-954f-f2a9603db28a", "Line1/G", "G"),
                node("nsu=" + URI + ";b=M/RbKBsRVkePCePcx24oRA==", "Line1/B", "B"),
                node("nsu=" + OTHER + ";s=Elsewhere", "Other/E", "E"),
                node("ns=0;i=2258", "Server/CurrentTime", "CurrentTime"),
                node("ns=1;s=" + new String("Ünïcode/Température"), "Line1/U", "U"));
        List<NodeId> parsed = nodes.stream().map(n -> NodeIdText.parse(n.nodeId(), this.namespaces).orElseThrow())
                .toList();

        CompactNodeIds ids = CompactNodeIds.of(nodes, parsed);

        assertEquals(parsed.size(), ids.size());
        for (int i = 0; i < parsed.size(); i++) {
            assertEquals(parsed.get(i), ids.get(i), nodes.get(i).nodeId());
        }
        assertEquals(parsed, ids.view(0, parsed.size()));
        assertEquals(2, ids.get(8).getNamespaceIndex().intValue());
    }

    @Test
    void anIdentifierThatIsTheBrowsePathOrNameIsTheCatalogsString() {
        CatalogNode byPath = node("nsu=" + URI + ";s=Line1/Pressure", "Line1/Pressure", "Pressure");
        CatalogNode byName = node("nsu=" + URI + ";s=Flow", "Line1/Flow", "Flow");
        List<CatalogNode> nodes = List.of(byPath, byName);
        CompactNodeIds ids = CompactNodeIds.of(nodes,
                nodes.stream().map(n -> NodeIdText.parse(n.nodeId(), this.namespaces).orElseThrow()).toList());

        assertSame(byPath.browsePath(), ids.get(0).getIdentifier());
        assertSame(byName.tagName(), ids.get(1).getIdentifier());
    }

    @Test
    void aViewIsItsRangeOnly() {
        List<CatalogNode> nodes = List.of(node("nsu=" + URI + ";i=1", "A", "A"), node("nsu=" + URI + ";i=2", "B", "B"),
                node("nsu=" + URI + ";i=3", "C", "C"));
        CompactNodeIds ids = CompactNodeIds.of(nodes,
                nodes.stream().map(n -> NodeIdText.parse(n.nodeId(), this.namespaces).orElseThrow()).toList());

        List<NodeId> view = ids.view(1, 3);
        assertEquals(List.of(new NodeId(1, 2), new NodeId(1, 3)), view);
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(2));
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(-1));
    }

    private static CatalogNode node(String nodeId, String browsePath, String tagName) {
        // Strings of their own, as a browse decodes them: never the same instance by accident.
        return new CatalogNode(new String(nodeId), new String(browsePath), "Line1", new String(tagName), "Double", -1,
                List.of(), 1, null);
    }
}
