package io.opcscraper.itests.deployment;

import java.time.Duration;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/** Waits for services by filter, with a timeout, without sleeping. */
final class Services {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Services() {
    }

    /** The reference of the first service matching the filter, waiting up to the timeout. */
    static ServiceReference<?> await(BundleContext context, String filter) throws InterruptedException {
        Filter parsed;
        try {
            parsed = FrameworkUtil.createFilter(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, parsed, null);
        tracker.open(true);
        try {
            if (tracker.waitForService(TIMEOUT.toMillis()) == null) {
                throw new AssertionError("no service matching " + filter + " within " + TIMEOUT);
            }
            return tracker.getServiceReference();
        } finally {
            tracker.close();
        }
    }
}
