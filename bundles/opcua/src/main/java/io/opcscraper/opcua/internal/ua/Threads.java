package io.opcscraper.opcua.internal.ua;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The bundle's threads: one named daemon scheduler per job and instance, visible in a thread dump. */
public final class Threads {

    private Threads() {
    }

    /** A single-threaded scheduler whose thread is called {@code opcua-JOB-INSTANCE}. */
    public static ScheduledExecutorService scheduler(String job, String instance) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "opcua-" + job + "-" + instance);
            thread.setDaemon(true);
            return thread;
        });
    }
}
