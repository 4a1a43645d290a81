package io.opcscraper.kura.emulator.internal;

import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/** ConfigurationAdmin's dictionaries as maps. */
final class Dictionaries {

    private Dictionaries() {
    }

    static Map<String, Object> toMap(Dictionary<String, Object> properties) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            values.put(key, properties.get(key));
        }
        return values;
    }
}
