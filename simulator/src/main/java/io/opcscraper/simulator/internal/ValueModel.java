package io.opcscraper.simulator.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.UUID;
import java.util.function.LongSupplier;

import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.serialization.SerializationContext;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.XmlElement;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.stack.core.types.structured.Range;

/**
 * The values of the plant: a pure function of (kind, seed of the node, period k) where
 * k = floor(now * changeRateHz). Source timestamp = start of period k, server timestamp = now.
 */
final class ValueModel {

    /** UNECE codes as OPC UA unitIds (Part 8): the code's characters packed into an Int32. */
    static final String UNECE_NAMESPACE = "http://www.opcfoundation.org/UA/units/un/cefact";

    static final EUInformation CELSIUS = new EUInformation(UNECE_NAMESPACE, uneceUnitId("CEL"),
        new LocalizedText("", "°C"), new LocalizedText("", "degree Celsius"));
    static final EUInformation BAR = new EUInformation(UNECE_NAMESPACE, uneceUnitId("BAR"),
        new LocalizedText("", "bar"), new LocalizedText("", "bar [unit of pressure]"));
    static final Range TEMPERATURE_RANGE = new Range(-50.0, 150.0);
    static final Range PRESSURE_RANGE = new Range(0.0, 10.0);

    private static final StatusCode BAD_SENSOR_FAILURE = new StatusCode(StatusCodes.Bad_SensorFailure);
    private static final StatusCode[] STATUS_VALUES = {
        StatusCode.GOOD, new StatusCode(0x40000000L) /* Uncertain */, BAD_SENSOR_FAILURE};
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final double changeRateHz;
    private final LongSupplier clockMillis;
    private final int namespaceIndex;
    private final String namespaceUri;
    private final SerializationContext serialization;
    private final ExtensionObject celsiusXo;

    /** The Huge array of the current period (100,000 doubles), recomputed when the period changes. */
    private volatile HugeArray huge;

    private record HugeArray(long period, Double[] values) {
    }

    ValueModel(double changeRateHz, LongSupplier clockMillis, int namespaceIndex, String namespaceUri,
               SerializationContext serialization) {
        this.changeRateHz = changeRateHz;
        this.clockMillis = clockMillis;
        this.namespaceIndex = namespaceIndex;
        this.namespaceUri = namespaceUri;
        this.serialization = serialization;
        this.celsiusXo = ExtensionObject.encode(serialization, CELSIUS);
    }

    static int uneceUnitId(String code) {
        int id = 0;
        for (char c : code.toCharArray()) {
            id = (id << 8) | c;
        }
        return id;
    }

    /** A stable seed for a node id string. */
    static int seed(String id) {
        return id.hashCode();
    }

    ExtensionObject encode(Object structure) {
        if (structure instanceof Range range) {
            return ExtensionObject.encode(serialization, range);
        }
        return ExtensionObject.encode(serialization, (EUInformation) structure);
    }

    /** The value of a node of {@code kind} with {@code seed}, now. */
    DataValue value(Kind kind, int seed) {
        long now = clockMillis.getAsLong();
        long k = period(now, changeRateHz);
        long start = Math.min(now, periodStart(k, changeRateHz));
        DateTime sourceTime = new DateTime(Instant.ofEpochMilli(start));
        DateTime serverTime = new DateTime(Instant.ofEpochMilli(now));
        if (kind == Kind.BAD_SENSOR) {
            return new DataValue(Variant.NULL_VALUE, BAD_SENSOR_FAILURE, sourceTime, serverTime);
        }
        return new DataValue(new Variant(compute(kind, seed, k, start)), StatusCode.GOOD, sourceTime, serverTime);
    }

    /** The value {@code compute} gives for the period of now, stamped like every plant value. */
    DataValue value(java.util.function.LongFunction<Object> compute) {
        long now = clockMillis.getAsLong();
        long k = period(now, changeRateHz);
        DateTime sourceTime = new DateTime(Instant.ofEpochMilli(Math.min(now, periodStart(k, changeRateHz))));
        return new DataValue(new Variant(compute.apply(k)), StatusCode.GOOD, sourceTime,
            new DateTime(Instant.ofEpochMilli(now)));
    }

    /** @return the period k of now */
    long period() {
        return period(clockMillis.getAsLong(), changeRateHz);
    }

    static long period(long nowMillis, double changeRateHz) {
        return (long) Math.floor(nowMillis * changeRateHz / 1000.0);
    }

    /** @return the start of period k in ms since the epoch (the source timestamp of its values) */
    static long periodStart(long k, double changeRateHz) {
        return (long) Math.floor(k * 1000.0 / changeRateHz);
    }

    /**
     * How many times the value of a node of {@code kind} with {@code seed} changes when the period goes
     * from {@code from} to {@code to}: the number of k in (from, to] whose value differs from the value
     * of k - 1, "differs" as for a data change filter (Variant equality: deep for arrays, NaN equals
     * NaN). Computed without building the values: constant kinds never change, Running changes only
     * where its 20-period block flips, Float and DateTime are compared where precision or the
     * millisecond clock can make two periods equal, every other kind changes every period (Temperature
     * and Pressure: two consecutive doubles of the sine plus noise could only coincide by a 2^-50
     * accident). ValueModelTest checks this against the real values.
     */
    static long changes(Kind kind, int seed, long from, long to, double changeRateHz) {
        if (to <= from) {
            return 0;
        }
        switch (kind) {
            case NAN:
            case POS_INF:
            case NEG_INF:
            case EU_INFORMATION:
            case EXPANDED_NODE_ID:
            case BAD_SENSOR:
                return 0;
            case RUNNING: {
                long n = 0;
                boolean previous = running(seed, Math.floorDiv(from, 20));
                for (long block = Math.floorDiv(from, 20) + 1; block <= Math.floorDiv(to, 20); block++) {
                    boolean current = running(seed, block);
                    if (current != previous) {
                        n++;
                    }
                    previous = current;
                }
                return n;
            }
            case FLOAT: {
                long n = 0;
                float previous = floatValue(from);
                for (long k = from + 1; k <= to; k++) {
                    float current = floatValue(k);
                    if (Float.compare(current, previous) != 0) {
                        n++;
                    }
                    previous = current;
                }
                return n;
            }
            case DATE_TIME: {
                if (changeRateHz <= 1000.0) {
                    return to - from; // periods of at least 1 ms: every start is a new millisecond
                }
                return distinctStarts(from, to, changeRateHz);
            }
            default:
                return to - from;
        }
    }

    private static long distinctStarts(long from, long to, double changeRateHz) {
        long n = 0;
        long previous = periodStart(from, changeRateHz);
        for (long k = from + 1; k <= to; k++) {
            long current = periodStart(k, changeRateHz);
            if (current != previous) {
                n++;
            }
            previous = current;
        }
        return n;
    }

    private static boolean running(int seed, long block) {
        return unit(seed, block) < 0.9;
    }

    private static float floatValue(long k) {
        return (float) (k * 0.5 + 0.25);
    }

    /** The value of period k (tests compare it with {@link #changes}). */
    Object compute(Kind kind, int seed, long k, long periodStartMillis) {
        switch (kind) {
            case TEMPERATURE:
                return 20.0 + 5.0 * Math.sin(2 * Math.PI * (k / 600.0 + unit(seed, -1)))
                    + (unit(seed, k) - 0.5);
            case PRESSURE:
                return 1.5 + 0.3 * Math.sin(2 * Math.PI * (k / 900.0 + unit(seed, -2)))
                    + 0.05 * (unit(seed, k) - 0.5);
            case RUNNING:
                return running(seed, Math.floorDiv(k, 20));
            case COUNT:
                return uint((k + (seed & 0xFFFFL)) & 0xFFFF_FFFFL);
            case BOOLEAN:
                return (k & 1) == 0;
            case SBYTE:
                return (byte) k;
            case BYTE:
                return ubyte(k & 0xFF);
            case INT16:
                return (short) k;
            case UINT16:
                return ushort((int) (k & 0xFFFF));
            case INT32:
                return (int) k;
            case UINT32:
                return uint(k & 0xFFFF_FFFFL);
            case INT64:
                return Long.MIN_VALUE + 1 + Math.floorMod(k, 1000L) * 1_000_000_007L;
            case UINT64:
                // Above Long.MAX_VALUE on purpose: a signed BIGINT cannot hold it.
                return ulong(UINT64_MAX.subtract(BigInteger.valueOf(Math.floorMod(k, 1000L))));
            case FLOAT:
                return floatValue(k);
            case DOUBLE:
            case REMOVABLE:
                return k * 0.25 + 0.125;
            case STRING:
                return "Wert " + k + " – äöü °C ✓ 'single' \"double\" \\";
            case DATE_TIME:
                return new DateTime(Instant.ofEpochMilli(periodStartMillis));
            case GUID:
                return new UUID(0x5349_4D55_4C41_544FL ^ seed, k);
            case BYTE_STRING:
                return ByteString.of(ByteBuffer.allocate(8).putLong(k).array());
            case XML_ELEMENT:
                return new XmlElement("<value period=\"" + k + "\">" + k + "</value>");
            case NODE_ID:
                return (k & 1) == 0
                    ? Identifiers.Server_ServerStatus_CurrentTime
                    : new NodeId(namespaceIndex, "Plant/Types/Double");
            case EXPANDED_NODE_ID:
                return new ExpandedNodeId(ushort(0), namespaceUri, "Plant/Types/Double");
            case STATUS_CODE:
                return STATUS_VALUES[(int) Math.floorMod(k, (long) STATUS_VALUES.length)];
            case QUALIFIED_NAME:
                return new QualifiedName(namespaceIndex, "Name" + Math.floorMod(k, 10L));
            case LOCALIZED_TEXT:
                return new LocalizedText("en", "Text " + k);
            case RANGE:
                return ExtensionObject.encode(serialization, new Range((double) k, k + 10.0));
            case EU_INFORMATION:
                return celsiusXo;
            case DOUBLE_ARRAY: {
                Double[] a = new Double[Kind.DOUBLE_ARRAY.length];
                for (int i = 0; i < a.length; i++) {
                    a[i] = k + i * 0.5;
                }
                return a;
            }
            case INT32_ARRAY: {
                Integer[] a = new Integer[Kind.INT32_ARRAY.length];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (int) k + i;
                }
                return a;
            }
            case BOOLEAN_ARRAY: {
                Boolean[] a = new Boolean[Kind.BOOLEAN_ARRAY.length];
                for (int i = 0; i < a.length; i++) {
                    a[i] = ((k + i) & 1) == 0;
                }
                return a;
            }
            case STRING_ARRAY:
                return new String[] {"first " + k, "second " + k};
            case NAN:
                return Double.NaN;
            case POS_INF:
                return Double.POSITIVE_INFINITY;
            case NEG_INF:
                return Double.NEGATIVE_INFINITY;
            case HOSTILE_DOUBLE:
                return k + (seed & 0xFF) / 256.0;
            case HUGE_ARRAY:
                return huge(k);
            default:
                throw new IllegalStateException("no value for " + kind);
        }
    }

    private Double[] huge(long k) {
        HugeArray current = huge;
        if (current == null || current.period != k) {
            Double[] values = new Double[Kind.HUGE_ARRAY.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = k + i / 1000.0;
            }
            current = new HugeArray(k, values);
            huge = current;
        }
        // Variant holds the array; nobody writes to it, so sharing it between reads is safe.
        return current.values;
    }

    /** A uniform double in [0, 1) from (seed, k): SplitMix64. */
    static double unit(int seed, long k) {
        long x = (seed * 0x9E37_79B9_7F4A_7C15L) ^ (k * 0xC2B2_AE3D_27D4_EB4FL);
        x += 0x9E37_79B9_7F4A_7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D0_49BB_1331_11EBL;
        x = x ^ (x >>> 31);
        return (x >>> 11) * 0x1.0p-53;
    }
}
