package io.opcscraper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CatalogNodeTest {

    private static CatalogNode node(int accessLevel, int userAccessLevel, Boolean historizing) {
        return new CatalogNode("ns=2;s=a", "A", "S", "a", "Double", -1, List.of(), accessLevel, null, userAccessLevel,
                historizing);
    }

    @Test
    void historyIsReadableWithHistoryReadForTheUserAndNotSaidToBeOff() {
        assertTrue(node(5, 5, true).isHistoryReadable());
        assertTrue(node(5, 5, null).isHistoryReadable(), "a server that does not say: the access level decides");
        assertFalse(node(5, 5, false).isHistoryReadable(), "the server stopped historizing it");
        assertFalse(node(5, 1, true).isHistoryReadable(), "the user may not read its history");
        assertFalse(node(1, 5, true).isHistoryReadable(), "the variable has no HistoryRead access");
    }

    @Test
    void theOneDotZeroConstructorTakesTheAccessLevelForTheUsersAndDoesNotKnowHistorizing() {
        CatalogNode old = new CatalogNode("ns=2;s=a", "A", "S", "a", "Double", -1, null, 5, "°C");
        assertEquals(5, old.userAccessLevel());
        assertNull(old.historizing());
        assertTrue(old.isHistoryReadable());
        assertTrue(old.isReadable());
        assertEquals(List.of(), old.arrayDimensions());
    }

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
