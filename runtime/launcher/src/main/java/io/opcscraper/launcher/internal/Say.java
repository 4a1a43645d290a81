package io.opcscraper.launcher.internal;

import java.io.PrintStream;

import org.slf4j.Logger;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/**
 * What the local run tells its user: each line on standard output (the terminal of ./run) and in
 * the log file. The local log configuration keeps the launcher's logger off the console, so a
 * line appears once.
 */
final class Say {

    private static final PrintStream OUT = System.out;

    private Say() {
    }

    static void info(Logger log, String format, Object... args) {
        String message = format(format, args);
        OUT.println(message);
        log.info("{}", message);
    }

    static void warn(Logger log, String format, Object... args) {
        String message = format(format, args);
        OUT.println("WARNING: " + message);
        log.warn("{}", message);
    }

    static void error(Logger log, String format, Object... args) {
        FormattingTuple tuple = MessageFormatter.arrayFormat(format, args);
        OUT.println("ERROR: " + tuple.getMessage());
        if (tuple.getThrowable() != null) {
            log.error("{}", tuple.getMessage(), tuple.getThrowable());
        } else {
            log.error("{}", tuple.getMessage());
        }
    }

    private static String format(String format, Object... args) {
        return MessageFormatter.arrayFormat(format, args).getMessage();
    }
}
