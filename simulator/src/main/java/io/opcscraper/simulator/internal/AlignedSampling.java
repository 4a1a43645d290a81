package io.opcscraper.simulator.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.sdk.server.AbstractLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.api.DataItem;
import org.eclipse.milo.opcua.sdk.server.api.services.AttributeServices;
import org.eclipse.milo.opcua.sdk.server.api.services.AttributeServices.ReadContext;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the monitored items of the plant namespace (Milo's {@code SubscriptionModel}, with one
 * difference: the schedule). Milo 0.6 schedules the next sample {@code samplingInterval} after the
 * previous one <em>finished</em>, so the real interval is the interval plus the time to read every
 * item of the group: with 50,000 items at 500 ms, about 700 ms, and a subscriber sampling at the change
 * rate missed about 30% of the changes. Here samples are taken at wall-clock slots {@code phase + n *
 * samplingInterval} with the phase in the middle of a change period: a subscriber that samples at the
 * change period reads every period once, mid-period, far from the boundary where the value changes; a
 * sample that overruns its slot skips to the next free one (no backlog, no overlap). A group is also
 * sampled at once when it is (re)formed, which gives new items their first value.
 *
 * <p>Reads go through the namespace's {@code read} (so {@code valuesServed} counts them), per session,
 * on the server's executor; values are handed to the items as Milo does (derived timestamps).
 */
final class AlignedSampling extends AbstractLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AlignedSampling.class);

    private final OpcUaServer server;
    private final AttributeServices reader;
    private final double phaseMillis;
    private final Set<DataItem> items = ConcurrentHashMap.newKeySet();
    private final List<Group> groups = new ArrayList<>(); // guarded by this

    /**
     * @param changePeriodMillis the period of the values: samples are placed in the middle of periods
     */
    AlignedSampling(OpcUaServer server, AttributeServices reader, double changePeriodMillis) {
        this.server = server;
        this.reader = reader;
        this.phaseMillis = changePeriodMillis / 2;
    }

    void onDataItemsCreated(List<DataItem> created) {
        items.addAll(created);
        reschedule();
    }

    void onDataItemsModified(List<DataItem> modified) {
        reschedule();
    }

    void onDataItemsDeleted(List<DataItem> deleted) {
        items.removeAll(deleted);
        reschedule();
    }

    void onMonitoringModeChanged() {
        reschedule();
    }

    @Override
    protected synchronized void onStartup() {
        reschedule();
    }

    @Override
    protected synchronized void onShutdown() {
        groups.forEach(Group::cancel);
        groups.clear();
        items.clear();
    }

    private synchronized void reschedule() {
        groups.forEach(Group::cancel);
        groups.clear();
        if (isNotRunning()) {
            return;
        }
        Map<Double, List<DataItem>> byInterval = new TreeMap<>();
        for (DataItem item : items) {
            if (item.isSamplingEnabled()) {
                double interval = Math.max(1.0, item.getSamplingInterval());
                byInterval.computeIfAbsent(interval, i -> new ArrayList<>()).add(item);
            }
        }
        byInterval.forEach((interval, members) -> {
            Group group = new Group(interval, members);
            groups.add(group);
            server.getExecutorService().execute(group::sample);
        });
    }

    /**
     * @return the delay in ms from {@code nowMillis} to the next slot {@code phase + n * interval}
     *     strictly after it (at least 1 ms)
     */
    static long delayToNextSlot(long nowMillis, double intervalMillis, double phaseMillis) {
        double n = Math.floor((nowMillis - phaseMillis) / intervalMillis) + 1;
        long delay = (long) Math.ceil(phaseMillis + n * intervalMillis - nowMillis);
        return Math.max(1, delay);
    }

    /** The items of one sampling interval, sampled together. */
    private final class Group {
        private final double intervalMillis;
        private final List<DataItem> members;
        private volatile boolean cancelled;
        private volatile ScheduledFuture<?> next;

        Group(double intervalMillis, List<DataItem> members) {
            this.intervalMillis = intervalMillis;
            this.members = members;
        }

        void cancel() {
            cancelled = true;
            ScheduledFuture<?> scheduled = next;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }

        void sample() {
            if (cancelled) {
                return;
            }
            Map<Session, List<DataItem>> bySession = new IdentityHashMap<>();
            for (DataItem item : members) {
                bySession.computeIfAbsent(item.getSession(), s -> new ArrayList<>()).add(item);
            }
            List<CompletableFuture<?>> reads = new ArrayList<>(bySession.size());
            bySession.forEach((session, sessionItems) -> reads.add(read(session, sessionItems)));
            CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.debug("sampling {} items every {} ms failed", members.size(), intervalMillis, failure);
                }
                scheduleNext();
            });
        }

        private CompletableFuture<?> read(Session session, List<DataItem> sessionItems) {
            List<ReadValueId> ids = new ArrayList<>(sessionItems.size());
            for (DataItem item : sessionItems) {
                ids.add(item.getReadValueId());
            }
            ReadContext context = new ReadContext(server, session);
            reader.read(context, 0.0, TimestampsToReturn.Both, ids);
            return context.getFuture().thenAccept(values -> {
                for (int i = 0; i < sessionItems.size() && i < values.size(); i++) {
                    DataItem item = sessionItems.get(i);
                    DataValue value = values.get(i);
                    TimestampsToReturn timestamps = item.getTimestampsToReturn();
                    item.setValue(AttributeId.Value.isEqual(item.getReadValueId().getAttributeId())
                        ? DataValue.derivedValue(value, timestamps)
                        : DataValue.derivedNonValue(value, timestamps));
                }
            });
        }

        private void scheduleNext() {
            if (cancelled) {
                return;
            }
            long delay = delayToNextSlot(System.currentTimeMillis(), intervalMillis, phaseMillis);
            next = server.getScheduledExecutorService().schedule(
                () -> server.getExecutorService().execute(this::sample), delay, TimeUnit.MILLISECONDS);
            if (cancelled) { // cancel() ran between the check and the assignment
                next.cancel(false);
            }
        }
    }
}
