package io.opcscraper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
