package io.opcscraper.itests.support;

import java.util.HashMap;
import java.util.Map;

/**
 * The Felix web console's Configurations printer ({@code /system/console/status-Configurations.txt})
 * read back: what the tests that drive the console check a configuration change against.
 */
public final class ConsoleConfigurations {

    private ConsoleConfigurations() {
    }

    /**
     * @param printout the printer's text: a {@code PID = ...} line per configuration, followed by
     *     its {@code key = value} lines
     * @return PID to its properties (values as the printer shows them)
     */
    public static Map<String, Map<String, String>> parse(String printout) {
        Map<String, Map<String, String>> all = new HashMap<>();
        Map<String, String> current = null;
        for (String line : printout.split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("PID = ")) {
                current = new HashMap<>();
                all.put(trimmed.substring("PID = ".length()), current);
            } else if (current != null && trimmed.contains(" = ")) {
                int eq = trimmed.indexOf(" = ");
                current.put(trimmed.substring(0, eq), trimmed.substring(eq + 3));
            }
        }
        return all;
    }
}
