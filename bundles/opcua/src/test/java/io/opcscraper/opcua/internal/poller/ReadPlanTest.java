package io.opcscraper.opcua.internal.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.junit.jupiter.api.Test;

import io.opcscraper.api.CatalogNode;

/** The plan's node ids: chunked in catalog order, unreadable nodes left out, names shared with the catalog. */
class ReadPlanTest {

    private static final String URI = "urn:test:plant";

    private final NamespaceTable namespaces = new NamespaceTable();

    ReadPlanTest() {
        this.namespaces.addUri(URI);
    }

    @Test
    void aStringIdentifierEqualToTheBrowsePathOrNameIsTheCatalogsString() {
        CatalogNode byPath = node("Plant/Line1/Temperature", "Plant/Line1/Temperature", "Temperature", 1);
        CatalogNode byName = node("Pressure", "Plant/Line1/Pressure", "Pressure", 1);
        CatalogNode other = node("T-100", "Plant/Line1/Flow", "Flow", 1);
        ReadPlan plan = ReadPlan.of(List.of(byPath, byName, other), this.namespaces, 10);

        List<NodeId> ids = plan.chunks().get(0).ids();
        assertEquals(new NodeId(1, "Plant/Line1/Temperature"), ids.get(0));
        assertSame(byPath.browsePath(), ids.get(0).getIdentifier());
        assertEquals(new NodeId(1, "Pressure"), ids.get(1));
        assertSame(byName.tagName(), ids.get(1).getIdentifier());
        assertEquals(new NodeId(1, "T-100"), ids.get(2));
        assertNotSame(other.browsePath(), ids.get(2).getIdentifier());
    }

    @Test
    void unreadableNodesAreLeftOutAndTheRestChunkedInOrder() {
        List<CatalogNode> catalog = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            catalog.add(node("T" + i, "Plant/T" + i, "T" + i, i == 3 ? 0 : 1));
        }
        ReadPlan plan = ReadPlan.of(catalog, this.namespaces, 3);

        assertEquals(6, plan.nodeCount());
        assertEquals(List.of(3, 3), plan.chunks().stream().map(c -> c.ids().size()).toList());
        assertEquals(List.of("T4", "T5", "T6"),
                plan.chunks().get(1).nodes().stream().map(CatalogNode::tagName).toList());
        assertEquals(new NodeId(1, "T4"), plan.chunks().get(1).ids().get(0));
    }

    @Test
    void whenEveryNodeIsReadTheChunksViewTheCatalogItself() {
        List<CatalogNode> catalog = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            catalog.add(node("T" + i, "Plant/T" + i, "T" + i, 1));
        }
        List<CatalogNode> immutable = List.copyOf(catalog);
        ReadPlan plan = ReadPlan.of(immutable, this.namespaces, 2);

        assertEquals(List.of(2, 2, 1), plan.chunks().stream().map(c -> c.nodes().size()).toList());
        assertEquals(immutable.subList(2, 4), plan.chunks().get(1).nodes());
        // A mutable catalog is copied first: changing it later does not change the plan.
        ReadPlan copied = ReadPlan.of(catalog, this.namespaces, 2);
        catalog.set(0, node("X", "Plant/X", "X", 1));
        assertEquals("T0", copied.chunks().get(0).nodes().get(0).tagName());
    }

    private static CatalogNode node(String identifier, String browsePath, String tagName, int accessLevel) {
        // Strings of their own, as a browse decodes them: never the same instance by accident.
        return new CatalogNode(new String("nsu=" + URI + ";s=" + identifier), new String(browsePath), "Line1",
                new String(tagName), "Double", -1, List.of(), accessLevel, null);
    }
}
