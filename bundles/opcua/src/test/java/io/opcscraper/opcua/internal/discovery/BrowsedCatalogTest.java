package io.opcscraper.opcua.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.junit.jupiter.api.Test;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.opcua.internal.structure.StructureTypes;

/**
 * What discovery keeps of a browse for its life: the catalog node of every variable, the session
 * ids only of variables that may be structures, and units and components only where those reach.
 */
class BrowsedCatalogTest {

    private static final NodeId PLAIN = new NodeId(2, "Plant/Line1/Temperature");
    private static final NodeId STRUCT = new NodeId(2, "Plant/Line1/Motor");
    private static final NodeId SPEED = new NodeId(2, "Plant/Line1/Motor/Speed");
    private static final NodeId SPEED_RANGE = new NodeId(2, "Plant/Line1/Motor/Speed/Range");
    private static final NodeId MOTOR_TYPE = new NodeId(2, 3001);

    @Test
    void aVariableOfABuiltInTypeKeepsItsCatalogNodeOnly() {
        CatalogNode plain = node("ns=2;s=Plant/Line1/Temperature", "Double");
        CatalogNode struct = node("ns=2;s=Plant/Line1/Motor", "MotorType");
        BrowsedCatalog catalog = BrowsedCatalog.of(
                List.of(new BrowsedCatalog.Variable(PLAIN, Identifiers.Double, plain),
                        new BrowsedCatalog.Variable(STRUCT, MOTOR_TYPE, struct)),
                Map.of(PLAIN, "°C", SPEED, "rpm", SPEED_RANGE, "rpm"),
                Map.of(PLAIN, Map.of("EURange", new NodeId(2, "Plant/Line1/Temperature/EURange")),
                        STRUCT, Map.of("Speed", SPEED), SPEED, Map.of("Range", SPEED_RANGE)));

        assertEquals(List.of(plain, struct), catalog.plain(), "every catalog node, in browse order");
        assertEquals(Map.of(1, new BrowsedCatalog.Variable(STRUCT, MOTOR_TYPE, struct)), catalog.candidates(),
                "session ids only of the variable that may be a structure (a built-in type never is)");
        assertEquals(Map.of(SPEED, "rpm", SPEED_RANGE, "rpm"), catalog.units(),
                "units only where a possible structure reaches (the plain variable's is in its node)");
        assertEquals(Map.of(STRUCT, Map.of("Speed", SPEED), SPEED, Map.of("Range", SPEED_RANGE)), catalog.components());
        assertEquals(Set.of(MOTOR_TYPE), catalog.dataTypes());
        assertSame(catalog.plain(), catalog.nodes(StructureTypes.none()),
                "no structure: the catalog is the list kept, so discovery's copy of it is no second array");
        assertSame(catalog.plain(), List.copyOf(catalog.nodes(StructureTypes.none())));
    }

    private static CatalogNode node(String nodeId, String dataType) {
        return new CatalogNode(nodeId, "Objects/" + nodeId, "Line1", "t", dataType, -1, List.of(), 1, null);
    }
}
