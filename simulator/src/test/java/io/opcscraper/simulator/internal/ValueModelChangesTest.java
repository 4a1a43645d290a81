package io.opcscraper.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.channel.EncodingLimits;
import org.eclipse.milo.opcua.stack.core.serialization.SerializationContext;
import org.eclipse.milo.opcua.stack.core.types.DataTypeManager;
import org.eclipse.milo.opcua.stack.core.types.OpcUaDataTypeManager;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

/** {@link ValueModel#changes} against the values themselves, compared as Milo's data change filter does. */
class ValueModelChangesTest {

    private static final SerializationContext SERIALIZATION = new SerializationContext() {
        private final NamespaceTable namespaces = new NamespaceTable();

        @Override
        public EncodingLimits getEncodingLimits() {
            return EncodingLimits.DEFAULT;
        }

        @Override
        public NamespaceTable getNamespaceTable() {
            return namespaces;
        }

        @Override
        public DataTypeManager getDataTypeManager() {
            return OpcUaDataTypeManager.getInstance();
        }
    };

    @Test
    void everyKindAtTodaysPeriods() {
        for (double hz : new double[] {0.5, 1, 2, 10}) {
            long now = ValueModel.period(System.currentTimeMillis(), hz);
            for (Kind kind : Kind.values()) {
                int periods = kind == Kind.HUGE_ARRAY ? 20 : 1500;
                for (int seed : new int[] {0, 1, -7, "Plant/Line01/Machine01/Sensor01/Running".hashCode()}) {
                    assertChanges(kind, seed, now - periods, now, hz);
                }
            }
        }
    }

    @Test
    void runningFlipsOnlyAtBlockBoundariesForManySeeds() {
        long now = ValueModel.period(System.currentTimeMillis(), 2);
        long total = 0;
        for (int seed = -500; seed < 500; seed++) {
            total += assertChanges(Kind.RUNNING, seed * 7919, now - 400, now, 2);
        }
        assertTrue(total > 0, "some Running flips in 1000 seeds x 20 blocks");
    }

    @Test
    void floatChangesOnlyWhenTheFloatDoes() {
        long now = ValueModel.period(System.currentTimeMillis(), 2);
        long n = assertChanges(Kind.FLOAT, 0, now - 5000, now, 2);
        assertTrue(n > 0 && n < 5000, "a float near 1.7e9 steps every 256 periods: " + n);
        assertEquals(100, ValueModel.changes(Kind.FLOAT, 0, 0, 100, 1), "small k: every period");
    }

    @Test
    void dateTimeAboveOneKilohertzRepeatsMilliseconds() {
        long now = ValueModel.period(System.currentTimeMillis(), 2500);
        long n = assertChanges(Kind.DATE_TIME, 0, now - 5000, now, 2500);
        assertEquals(2000, n, "5000 periods of 0.4 ms span 2000 ms");
    }

    @Test
    void splitRangesAddUp() {
        long now = ValueModel.period(System.currentTimeMillis(), 1);
        for (Kind kind : Kind.values()) {
            long whole = ValueModel.changes(kind, 42, now - 1000, now, 1);
            long parts = ValueModel.changes(kind, 42, now - 1000, now - 333, 1)
                + ValueModel.changes(kind, 42, now - 333, now - 332, 1)
                + ValueModel.changes(kind, 42, now - 332, now, 1);
            assertEquals(whole, parts, kind.name());
            assertEquals(0, ValueModel.changes(kind, 42, now, now, 1));
            assertEquals(0, ValueModel.changes(kind, 42, now, now - 5, 1));
        }
    }

    /** Asserts changes() equals the brute-force count and returns it. */
    private static long assertChanges(Kind kind, int seed, long from, long to, double hz) {
        ValueModel model = new ValueModel(hz, System::currentTimeMillis, 2, "urn:test", SERIALIZATION);
        long expected = 0;
        Variant previous = value(model, kind, seed, from, hz);
        for (long k = from + 1; k <= to; k++) {
            Variant current = value(model, kind, seed, k, hz);
            if (!current.equals(previous)) {
                expected++;
            }
            previous = current;
        }
        assertEquals(expected, ValueModel.changes(kind, seed, from, to, hz),
            kind + " seed " + seed + " periods (" + from + ", " + to + "] at " + hz + " Hz");
        return expected;
    }

    private static Variant value(ValueModel model, Kind kind, int seed, long k, double hz) {
        if (kind == Kind.BAD_SENSOR) {
            return Variant.NULL_VALUE; // every read: no value, Bad_SensorFailure
        }
        return new Variant(model.compute(kind, seed, k, ValueModel.periodStart(k, hz)));
    }
}
