package io.opcscraper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The markdown file result rows are appended to; the table header is written when the file is new. */
final class ResultsFile {

    private final Path file;

    ResultsFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    synchronized void append(RunResult result) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        StringBuilder text = new StringBuilder();
        if (!Files.exists(file) || Files.size(file) == 0) {
            text.append("# OPC Scraper benchmark results").append(System.lineSeparator()).append(System.lineSeparator())
                .append("Appended by bench/run, one row per run; see docs/benchmarks.md for what each figure means.")
                .append(System.lineSeparator()).append(System.lineSeparator())
                .append(RunResult.markdownHeader()).append(System.lineSeparator());
        }
        text.append(result.markdownRow()).append(System.lineSeparator());
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Appends {@code row} to a markdown file, with its title and table header first when the file is new or empty. */
    static void appendRow(Path file, String title, String header, String row) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        String text = (!Files.exists(file) || Files.size(file) == 0
            ? "# " + title + System.lineSeparator() + System.lineSeparator() + header + System.lineSeparator() : "")
            + row + System.lineSeparator();
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
