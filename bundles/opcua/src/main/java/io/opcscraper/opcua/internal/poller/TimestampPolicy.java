package io.opcscraper.opcua.internal.poller;

import java.time.Instant;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;

/**
 * Which clock stamps a sample: the source timestamp, the server timestamp or the gateway clock.
 * A missing (null or MinDateTime) timestamp falls back along source, server, gateway.
 */
enum TimestampPolicy {
    SOURCE, SERVER, GATEWAY;

    static TimestampPolicy of(String option) {
        return valueOf(option.toUpperCase(java.util.Locale.ROOT));
    }

    Instant pick(DataValue value, Instant gatewayNow) {
        Instant recorded = recorded(value);
        return recorded != null ? recorded : gatewayNow;
    }

    /**
     * The value's own time under this policy, without the gateway clock: the source time (for
     * SOURCE), else the server time; null for GATEWAY or when the value has neither. What a value
     * read from the history is stored at.
     */
    Instant recorded(DataValue value) {
        if (this == SOURCE && present(value.getSourceTime())) {
            return value.getSourceTime().getJavaInstant();
        }
        if (this != GATEWAY && present(value.getServerTime())) {
            return value.getServerTime().getJavaInstant();
        }
        return null;
    }

    private static boolean present(DateTime time) {
        return time != null && time.getUtcTime() > 0;
    }
}
