package io.opcscraper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CatalogNodeTest {

    @Test
    void theConstructorOfApi11GivesAVariableWithoutFields() {
        CatalogNode plain = new CatalogNode("ns=2;s=a", "P/a", "P", "a", "Double", -1, null, 1, null);
        assertEquals(List.of(), plain.fields());
        assertEquals(List.of(), plain.arrayDimensions());
        assertEquals(plain, new CatalogNode("ns=2;s=a", "P/a", "P", "a", "Double", -1, List.of(), 1, null, null));
    }

    @Test
    void fieldsAreCopiedAndTakePartInEquality() {
        List<CatalogField> fields = new ArrayList<>(List.of(new CatalogField(".Speed", "Double", "rpm")));
        CatalogNode motor = new CatalogNode("ns=2;s=m", "P/m", "P", "Motor", "ns=2;i=3001", -1, null, 1, null, fields);
        fields.add(new CatalogField(".Torque", "Double", null));
        assertEquals(1, motor.fields().size(), "a later change of the caller's list does not reach the node");
        assertThrows(UnsupportedOperationException.class, () -> motor.fields().add(null));
        CatalogNode changed = new CatalogNode("ns=2;s=m", "P/m", "P", "Motor", "ns=2;i=3001", -1, null, 1, null,
                fields);
        assertNotEquals(motor, changed, "a type whose fields changed is a changed catalog");
        assertTrue(motor.isReadable());
    }

    @Test
    void aFieldNeedsAPath() {
        assertThrows(NullPointerException.class, () -> new CatalogField(null, "Double", null));
    }
}
