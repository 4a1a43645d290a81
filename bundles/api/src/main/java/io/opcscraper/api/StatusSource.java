package io.opcscraper.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A component that reports its status. Each of our component instances registers one, so a
 * status page, a benchmark or the local run can show what the pipeline does without parsing logs.
 */
@ProviderType
public interface StatusSource {

    /**
     * A consistent-enough snapshot, cheap to take (no I/O): callers may poll it every second.
     * Still answers after the component was deactivated, with its final counters: a service goes
     * away before its component stops, so a caller that kept the object learns what the stop did.
     */
    ComponentStatus status();
}
