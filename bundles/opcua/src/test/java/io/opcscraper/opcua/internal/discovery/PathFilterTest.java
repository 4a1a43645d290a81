package io.opcscraper.opcua.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class PathFilterTest {

    @Test
    void doubleStarCrossesElementsAndSingleStarDoesNot() {
        PathFilter filter = new PathFilter(List.of("Plant/*/Machine01/**"), List.of());
        assertTrue(filter.accepts("Plant/Line01/Machine01/Sensor01/Temperature"));
        assertTrue(filter.accepts("Plant/Line02/Machine01/Count"));
        assertFalse(filter.accepts("Plant/Line01/Area/Machine01/Count"));
        assertFalse(filter.accepts("Plant/Line01/Machine02/Count"));
    }

    @Test
    void leadingDoubleStarMatchesAtAnyDepthIncludingTheTop() {
        PathFilter filter = new PathFilter(List.of("**/Temperature"), List.of());
        assertTrue(filter.accepts("Temperature"));
        assertTrue(filter.accepts("Plant/Line01/Machine01/Sensor01/Temperature"));
        assertFalse(filter.accepts("Plant/Temperature2"));
    }

    @Test
    void excludesWinAndRegexCharactersAreLiteral() {
        PathFilter filter = new PathFilter(List.of("**"), List.of("**/Types/**", "Plant/Hostile/a.b(c)"));
        assertTrue(filter.accepts("Plant/Line01/x"));
        assertFalse(filter.accepts("Plant/Types/Double"));
        assertFalse(filter.accepts("Plant/Hostile/a.b(c)"));
        assertTrue(filter.accepts("Plant/Hostile/aXb(c)"));
    }
}
