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
        if (this == SOURCE && present(value.getSourceTime())) {
            return value.getSourceTime().getJavaInstant();
        }
        if (this != GATEWAY && present(value.getServerTime())) {
            return value.getServerTime().getJavaInstant();
        }
        return gatewayNow;
    }

    private static boolean present(DateTime time) {
        return time != null && time.getUtcTime() > 0;
    }
}
