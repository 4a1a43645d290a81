package io.opcscraper.timescale.grafana;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.opcscraper.timescale.testing.Json;

/** The repository's Grafana dashboard ({@code grafana/dashboards/opc-scraper.json}): its queries and variables. */
final class DashboardFile {

    static final Path PATH = Path.of("../../grafana/dashboards/opc-scraper.json").toAbsolutePath().normalize();

    /** One panel's query. */
    record Query(String panel, String format, String sql) {
    }

    /** One template variable. */
    record Variable(String name, String type, String query, boolean multi, boolean includeAll) {
    }

    private final Map<String, Object> root;

    private DashboardFile(Map<String, Object> root) {
        this.root = root;
    }

    @SuppressWarnings("unchecked")
    static DashboardFile read() throws IOException {
        return new DashboardFile((Map<String, Object>) Json.parse(Files.readString(PATH)));
    }

    @SuppressWarnings("unchecked")
    List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (Object p : Json.array(this.root, "panels")) {
            Map<String, Object> panel = (Map<String, Object>) p;
            for (Object t : Json.array(panel, "targets")) {
                Map<String, Object> target = (Map<String, Object>) t;
                out.add(new Query((String) panel.get("title"), (String) target.get("format"),
                        (String) target.get("rawSql")));
            }
        }
        assertFalse(out.isEmpty(), "no panel queries in " + PATH);
        return out;
    }

    @SuppressWarnings("unchecked")
    List<Variable> variables() {
        List<Variable> out = new ArrayList<>();
        for (Object v : Json.array(Json.object(this.root, "templating"), "list")) {
            Map<String, Object> variable = (Map<String, Object>) v;
            out.add(new Variable((String) variable.get("name"), (String) variable.get("type"),
                    (String) variable.get("query"), Boolean.TRUE.equals(variable.get("multi")),
                    Boolean.TRUE.equals(variable.get("includeAll"))));
        }
        return out;
    }
}
