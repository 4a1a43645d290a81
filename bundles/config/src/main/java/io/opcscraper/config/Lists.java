package io.opcscraper.config;

import java.util.ArrayList;
import java.util.List;

/** Multi-value properties are single strings (Kura TextArea fields): items split on commas or lines. */
public final class Lists {

    private Lists() {
    }

    /** The non-empty, trimmed items of a value separated by commas or new lines. */
    public static List<String> split(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split("[,\\r\\n]+")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    /** The non-empty, trimmed lines of a value (items that may themselves contain commas). */
    public static List<String> lines(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split("[\\r\\n]+")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }
}
