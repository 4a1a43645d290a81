package io.opcscraper.config.metatype;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a bundle README's property table of one PID says what the metatype says: the same
 * attributes in the same order, with the same types and defaults. The table follows the first
 * heading that names the PID; its rows are {@code | `id` | Type | `default` or (empty) | meaning |}.
 */
public final class ReadmeConformance {

    private ReadmeConformance() {
    }

    public static List<String> check(String readme, MetatypeDocument doc) {
        List<String> violations = new ArrayList<>();
        List<String[]> rows = table(readme, doc.ocdId());
        if (rows.isEmpty()) {
            violations.add("README has no property table under a heading naming " + doc.ocdId());
            return violations;
        }
        List<String> expected = new ArrayList<>();
        for (MetatypeDocument.Attribute ad : doc.attributes()) {
            expected.add(ad.id() + " | " + ad.type() + " | " + (ad.defaultValue() == null ? "" : ad.defaultValue()));
        }
        List<String> actual = new ArrayList<>();
        for (String[] row : rows) {
            actual.add(unquote(row[0]) + " | " + row[1].trim() + " | " + unquote(row[2]));
        }
        if (!expected.equals(actual)) {
            violations.add("README table of " + doc.ocdId() + " differs from the metatype:\n  README:   " + actual
                    + "\n  metatype: " + expected + "\n  (regenerate with scripts/dev/metatype-table)");
        }
        return violations;
    }

    private static List<String[]> table(String readme, String pid) {
        List<String[]> rows = new ArrayList<>();
        boolean underHeading = false;
        boolean inTable = false;
        for (String line : readme.split("\n")) {
            if (line.startsWith("#")) {
                if (inTable) {
                    break;
                }
                underHeading = line.contains(pid);
                continue;
            }
            if (!underHeading) {
                continue;
            }
            if (line.startsWith("|")) {
                inTable = true;
                String[] cells = line.substring(1).split("\\|", -1);
                if (cells.length >= 4 && !cells[0].trim().equals("id") && !cells[0].trim().startsWith("---")) {
                    rows.add(cells);
                }
            } else if (inTable) {
                break;
            }
        }
        return rows;
    }

    private static String unquote(String cell) {
        String value = cell.trim();
        if ("(empty)".equals(value)) {
            return "";
        }
        return value.startsWith("`") && value.endsWith("`") && value.length() >= 2
                ? value.substring(1, value.length() - 1) : value;
    }
}
