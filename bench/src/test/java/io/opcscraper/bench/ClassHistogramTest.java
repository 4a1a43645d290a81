package io.opcscraper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The live bytes of a class histogram: its Total line. */
class ClassHistogramTest {

    @Test
    void theTotalLineGivesTheLiveBytes() {
        String histogram = String.join("\n", "21638:", " num     #instances         #bytes  class name (module)",
            "-------------------------------------------------------",
            "   1:        117176      145368944  [B (java.base@17.0.15)",
            "   2:        113063        2713512  java.lang.String (java.base@17.0.15)",
            "Total        508090      160085136", "");
        assertEquals(160_085_136L, ClassHistogram.totalBytes(histogram));
        assertEquals(-1, ClassHistogram.totalBytes("21638:\nio.opcscraper... not attached"));
    }
}
