package io.opcscraper.bench;

import java.io.PrintStream;

/** Progress lines on stdout, each with the seconds since the bench started. */
final class Say {

    private static final long START = System.nanoTime();

    private Say() {
    }

    static synchronized void line(String text) {
        PrintStream out = System.out;
        out.printf("[%7.1f s] %s%n", (System.nanoTime() - START) / 1e9, text);
        out.flush();
    }

    static synchronized void plain(String text) {
        System.out.println(text);
        System.out.flush();
    }
}
