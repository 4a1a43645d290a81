package io.opcscraper.opcua.internal.poller;

import java.lang.reflect.Array;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.Sample;
import io.opcscraper.opcua.internal.structure.StructureTypes;

/**
 * Turns one DataValue into samples, the rules documented in the bundle README:
 * <ul>
 * <li>numbers (every integer and floating type) become a double; Boolean becomes 1 or 0;</li>
 * <li>an array becomes one sample per element, tag name {@code tag[i]}, at most
 * {@value #MAX_ARRAY_ELEMENTS} elements (the rest counted and logged once);</li>
 * <li>a status that is not Good-or-Uncertain with a value (a Bad status) becomes one sample with
 * a NULL value and that status: never the last good value;</li>
 * <li>NaN and infinities become a NULL value with the status as read: a stored NaN would poison
 * every average over its bucket; counted and logged once per node;</li>
 * <li>a structure (an ExtensionObject, or an array of them) whose type the server describes becomes
 * one sample per numeric or Boolean leaf ({@link StructureSamples}), same status and timestamp;</li>
 * <li>strings, byte strings, date times and the other non-numeric types produce no
 * sample: counted and logged once per node. (A later version can keep them in a text or jsonb
 * column beside {@code value}.)</li>
 * </ul>
 */
final class SampleMapper {

    static final int MAX_ARRAY_ELEMENTS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(SampleMapper.class);

    private final String clientId;
    private final TimestampPolicy timestamps;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String>> fresh = new HashMap<>();
    private static final Map<String, String> SUMMARY = Map.of(
            "array", "array variables are longer than " + MAX_ARRAY_ELEMENTS + " elements: only the first are stored",
            "type", "variables have non-numeric values: no rows are stored for them",
            "finite", "variables have non-finite values (NaN, infinity): stored as NULL with their status");
    private final LongAdder nonNumeric = new LongAdder();
    private final LongAdder nonFinite = new LongAdder();
    private final LongAdder truncated = new LongAdder();
    private final StructureSamples structures;

    SampleMapper(String clientId, TimestampPolicy timestamps) {
        this(clientId, timestamps, new LongAdder(), typeId -> { });
    }

    /**
     * @param undecoded counts structured values that could not be decoded
     * @param mismatch told the type id of structured values that do not match its description
     */
    SampleMapper(String clientId, TimestampPolicy timestamps, LongAdder undecoded,
            Consumer<String> mismatch) {
        this.clientId = clientId;
        this.timestamps = timestamps;
        this.structures = new StructureSamples(clientId, undecoded, (node, elements) -> {
            this.truncated.add(elements);
            once(node, "array", "structured value with " + elements + " array elements beyond the first "
                    + MAX_ARRAY_ELEMENTS + " of an array (or rows beyond 10,000 per value): not stored");
        }, mismatch);
    }

    /** The structure types values are decoded with from now on (see {@link StructureSamples#use}). */
    void structureTypes(StructureTypes types, boolean sameSession) {
        this.structures.use(types, sameSession);
    }

    /** Adds the samples of one value to {@code out}. */
    void map(CatalogNode node, DataValue value, Instant gatewayNow, List<Sample> out) {
        Instant time = this.timestamps.pick(value, gatewayNow);
        StatusCode status = value.getStatusCode() == null ? StatusCode.GOOD : value.getStatusCode();
        long quality = status.getValue();
        Object raw = value.getValue() == null ? null : value.getValue().getValue();
        if (status.isBad() || raw == null) {
            out.add(sample(node, node.tagName(), time, null, quality));
            return;
        }
        if (StructureSamples.isStructured(raw)) {
            this.structures.map(node, raw, (tag, number) -> out.add(sample(node, tag, time, finite(node, number),
                    quality)));
            return;
        }
        if (raw.getClass().isArray()) {
            int length = Array.getLength(raw);
            int kept = Math.min(length, MAX_ARRAY_ELEMENTS);
            if (length > kept) {
                this.truncated.add(length - kept);
                once(node, "array", "array of " + length + " elements: only the first " + kept + " are stored");
            }
            for (int i = 0; i < kept; i++) {
                Object element = Array.get(raw, i);
                Double number = number(node, element);
                if (number != null) {
                    out.add(sample(node, node.tagName() + "[" + i + "]", time, finite(node, number), quality));
                }
            }
            return;
        }
        Double number = number(node, raw);
        if (number != null) {
            out.add(sample(node, node.tagName(), time, finite(node, number), quality));
        }
    }

    private Double number(CatalogNode node, Object raw) {
        if (raw == null) {
            this.nonNumeric.increment();
            return null;
        }
        if (raw instanceof Boolean) {
            return ((Boolean) raw) ? 1.0 : 0.0;
        }
        if (raw instanceof UNumber) {
            return ((UNumber) raw).doubleValue();
        }
        if (raw instanceof Number) {
            return ((Number) raw).doubleValue();
        }
        this.nonNumeric.increment();
        once(node, "type", "value of type " + raw.getClass().getSimpleName() + " is not numeric: no row is stored");
        return null;
    }

    private Double finite(CatalogNode node, Double number) {
        if (number != null && !Double.isFinite(number)) {
            this.nonFinite.increment();
            once(node, "finite", "value " + number + " is not finite: stored as NULL with its status");
            return null;
        }
        return number;
    }

    private Sample sample(CatalogNode node, String tag, Instant time, Double value, long quality) {
        return new Sample(time, node.nodeId(), this.clientId, node.sensorName(), tag, value, quality);
    }

    /**
     * Notes a fact about a node once per kind, so a fast poll does not repeat it every interval:
     * each at DEBUG, and {@link #report()} sums up the new ones in one INFO line per kind, so a
     * server with thousands of string variables does not flood the log.
     */
    private void once(CatalogNode node, String kind, String what) {
        if (this.reported.add(kind + ' ' + node.nodeId())) {
            LOG.debug("{}: {} ({}): {}", this.clientId, node.nodeId(), node.browsePath(), what);
            synchronized (this.fresh) {
                this.fresh.computeIfAbsent(kind, k -> new ArrayList<>()).add(node.browsePath() + ": " + what);
            }
        }
    }

    /** One INFO line per kind of fact first noted since the last report; called after each cycle. */
    void report() {
        Map<String, List<String>> notes;
        synchronized (this.fresh) {
            if (this.fresh.isEmpty()) {
                return;
            }
            notes = new TreeMap<>(this.fresh);
            this.fresh.clear();
        }
        notes.forEach((kind, list) -> LOG.info("{}: {} {} ({}{}; the DEBUG level lists each)", this.clientId,
                list.size(), SUMMARY.get(kind), String.join("; ", list.subList(0, Math.min(3, list.size()))),
                list.size() > 3 ? "; and " + (list.size() - 3) + " more" : ""));
    }

    long nonNumeric() {
        return this.nonNumeric.sum();
    }

    long nonFinite() {
        return this.nonFinite.sum();
    }

    long truncatedArrayElements() {
        return this.truncated.sum();
    }
}
