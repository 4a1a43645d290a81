package io.opcscraper.simulator.internal;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * Continuation points of one kind (browse, history), per session: 16 random bytes each, so only the
 * session that got one can name it; at most {@code maxPerSession} per session. Thread-safe.
 *
 * @param <T> what a point stands for
 */
final class ContinuationPoints<T> {

    private final int maxPerSession;
    private final SecureRandom random = new SecureRandom();
    private final Map<NodeId, Map<ByteString, T>> points = new ConcurrentHashMap<>();

    ContinuationPoints(int maxPerSession) {
        this.maxPerSession = maxPerSession;
    }

    /** @return a new point for {@code value}, or null when the session holds {@code maxPerSession} */
    ByteString add(NodeId session, T value) {
        Map<ByteString, T> held = points.computeIfAbsent(session, s -> new ConcurrentHashMap<>());
        if (held.size() >= maxPerSession) {
            return null;
        }
        byte[] id = new byte[16];
        random.nextBytes(id);
        ByteString point = ByteString.of(id);
        held.put(point, value);
        return point;
    }

    /** Removes and returns what the session's point stands for, or null when it holds no such point. */
    T take(NodeId session, ByteString point) {
        Map<ByteString, T> held = points.get(session);
        return held == null || point == null ? null : held.remove(point);
    }

    /** Keeps {@code point} (taken before) for a new value: the same bytes go on. */
    void put(NodeId session, ByteString point, T value) {
        points.computeIfAbsent(session, s -> new ConcurrentHashMap<>()).put(point, value);
    }

    /** Releases a point, whichever session holds it. */
    void release(ByteString point) {
        points.values().forEach(held -> held.remove(point));
    }

    /** The session closed: its points go. */
    void forget(NodeId session) {
        points.remove(session);
    }

    void clear() {
        points.clear();
    }

    /** Points held now, over every session. */
    int size() {
        return points.values().stream().mapToInt(Map::size).sum();
    }
}
