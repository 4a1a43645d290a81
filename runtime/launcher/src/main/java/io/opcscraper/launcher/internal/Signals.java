package io.opcscraper.launcher.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM start the orderly stop instead of the JVM's immediate exit; a
 * second signal while it runs exits at once (code 130). Local runs only: on a Kura gateway the
 * framework's own shutdown stops our components.
 */
final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    static void onInterrupt(OrderlyStop stop) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (!stop.begin("SIG" + signal.getName())) {
                        System.out.println("stopping at once (second signal); the spool is on disk and is replayed at the next start");
                        Runtime.getRuntime().halt(130);
                    }
                });
            } catch (IllegalArgumentException | LinkageError e) {
                LOG.warn("cannot handle SIG{} ({}): Ctrl-C stops the JVM without the orderly stop", name, e.toString());
            }
        }
    }
}
