package io.opcscraper.opcua.internal.discovery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ViewDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.opcua.internal.ua.Requests;
import io.opcscraper.opcua.internal.ua.Requests.RequestException;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Walks the address space breadth first from the browse roots along Organizes, HasComponent
 * (and HasOrderedComponent) and optionally HasProperty references, and collects the Variables;
 * it does not enter what describes the server rather than the plant ({@link ServerDiagnostics})
 * unless asked to.
 * Browse requests carry at most MaxNodesPerBrowse nodes; continuation points are followed with
 * BrowseNext. A node reached twice is visited once, so reference loops end.
 */
final class Browser {

    private static final Logger LOG = LoggerFactory.getLogger(Browser.class);

    private static final Set<NodeId> FOLLOWED = Set.of(Identifiers.Organizes, Identifiers.HasComponent,
            Identifiers.HasOrderedComponent);
    private static final String ENGINEERING_UNITS = "EngineeringUnits";

    /** A variable found, with where it was found. */
    record Found(NodeId nodeId, List<String> path, String sensorName, List<String> fromObject) {
    }

    /**
     * What one walk found.
     *
     * @param components the variables below each variable, by browse name (where a server shows the
     *        fields of a structure value as variables, their engineering units are the fields')
     * @param leftOut the nodes not browsed because they describe the server ({@link ServerDiagnostics})
     */
    record Outcome(List<Found> variables, Map<NodeId, NodeId> engineeringUnits, Map<NodeId, Map<String, NodeId>> components,
            int beyondMaxNodes, int badResults, int leftOut) {
    }

    /** A node whose children are browsed next. */
    private record Parent(NodeId nodeId, List<String> path, String objectName, List<String> fromObject,
            boolean variable) {
    }

    private final OpcUaClient client;
    private final NamespaceTable namespaces;
    private final long timeoutMs;
    private final int maxNodesPerBrowse;
    private final int maxReferencesPerNode;

    /**
     * @param maxReferencesPerNode how many references one result may carry before the server
     *        returns a continuation point; 0 lets the server decide
     */
    Browser(OpcUaClient client, long timeoutMs, int maxNodesPerBrowse, int maxReferencesPerNode) {
        this.client = client;
        this.namespaces = client.getNamespaceTable();
        this.timeoutMs = timeoutMs;
        this.maxNodesPerBrowse = Math.max(1, maxNodesPerBrowse);
        this.maxReferencesPerNode = maxReferencesPerNode;
    }

    /**
     * @param roots the browse roots and their display names (the sensor name of variables
     *        directly below a root)
     */
    Outcome walk(Map<NodeId, String> roots, boolean followProperties, int maxDepth, int maxNodes, PathFilter filter,
            boolean serverDiagnostics) throws RequestException {
        List<Found> variables = new ArrayList<>();
        Map<NodeId, NodeId> engineeringUnits = new HashMap<>();
        Map<NodeId, Map<String, NodeId>> components = new HashMap<>();
        Set<NodeId> visited = new HashSet<>(roots.keySet());
        int[] beyond = { 0 };
        int[] bad = { 0 };
        int[] leftOut = { 0 };
        List<Parent> frontier = new ArrayList<>();
        roots.forEach((id, name) -> frontier.add(new Parent(id, List.of(), name, List.of(), false)));
        for (int depth = 1; depth <= maxDepth && !frontier.isEmpty(); depth++) {
            List<Parent> next = new ArrayList<>();
            browseLevel(frontier, (parent, ref) -> {
                NodeId type = ref.getReferenceTypeId();
                String name = ref.getBrowseName() == null || ref.getBrowseName().getName() == null ? "?"
                        : ref.getBrowseName().getName();
                NodeId child = ref.getNodeId().toNodeId(this.namespaces).orElse(null);
                if (child == null || !Boolean.TRUE.equals(ref.getIsForward())) {
                    return;
                }
                boolean property = Identifiers.HasProperty.equals(type);
                if (property && parent.variable() && ENGINEERING_UNITS.equals(name)) {
                    engineeringUnits.put(parent.nodeId(), child);
                }
                if ((property && !followProperties) || (!property && !FOLLOWED.contains(type)) || !visited.add(child)) {
                    return;
                }
                if (!serverDiagnostics && ServerDiagnostics.leftOut(child, ref.getTypeDefinition())) {
                    leftOut[0]++;
                    return;
                }
                if (!property && parent.variable() && ref.getNodeClass() == NodeClass.Variable) {
                    components.computeIfAbsent(parent.nodeId(), p -> new HashMap<>()).put(name, child);
                }
                List<String> path = append(parent.path(), name);
                if (ref.getNodeClass() == NodeClass.Object) {
                    String display = ref.getDisplayName() == null || ref.getDisplayName().getText() == null ? name
                            : ref.getDisplayName().getText();
                    next.add(new Parent(child, path, display, List.of(), false));
                } else if (ref.getNodeClass() == NodeClass.Variable) {
                    List<String> fromObject = append(parent.fromObject(), name);
                    if (filter.accepts(String.join("/", path))) {
                        if (variables.size() < maxNodes) {
                            variables.add(new Found(child, path, parent.objectName(), fromObject));
                        } else {
                            beyond[0]++;
                        }
                    }
                    next.add(new Parent(child, path, parent.objectName(), fromObject, true));
                }
            }, bad);
            frontier.clear();
            frontier.addAll(next);
        }
        if (!frontier.isEmpty()) {
            LOG.info("Browsing stopped at max.depth {} with {} nodes not browsed further", maxDepth, frontier.size());
        }
        return new Outcome(variables, engineeringUnits, components, beyond[0], bad[0], leftOut[0]);
    }

    private interface ReferenceSink {
        void accept(Parent parent, ReferenceDescription reference);
    }

    /**
     * Browses one level, one request of at most MaxNodesPerBrowse nodes at a time, and drains that
     * request's continuation points with BrowseNext before the next request: a server keeps only
     * a few continuation points per session (MaxBrowseContinuationPoints) and drops the oldest.
     */
    private void browseLevel(List<Parent> parents, ReferenceSink sink, int[] bad) throws RequestException {
        for (int start = 0; start < parents.size(); start += this.maxNodesPerBrowse) {
            List<Parent> chunk = parents.subList(start, Math.min(parents.size(), start + this.maxNodesPerBrowse));
            List<BrowseDescription> requests = new ArrayList<>(chunk.size());
            for (Parent parent : chunk) {
                requests.add(new BrowseDescription(parent.nodeId(), BrowseDirection.Forward,
                        Identifiers.HierarchicalReferences, true,
                        uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue()),
                        uint(BrowseResultMask.All.getValue())));
            }
            BrowseResult[] results = Requests.await(this.client.browse(
                    new ViewDescription(NodeId.NULL_VALUE, DateTime.MIN_VALUE, uint(0)),
                    uint(this.maxReferencesPerNode), requests), this.timeoutMs,
                    "Browse of " + chunk.size() + " nodes").getResults();
            List<Parent> pendingParents = new ArrayList<>();
            List<ByteString> pendingPoints = new ArrayList<>();
            collect(chunk, results, sink, bad, pendingParents, pendingPoints);
            while (!pendingPoints.isEmpty()) {
                List<Parent> parentsNow = new ArrayList<>(pendingParents);
                List<ByteString> pointsNow = new ArrayList<>(pendingPoints);
                pendingParents.clear();
                pendingPoints.clear();
                BrowseResult[] next = Requests.await(this.client.browseNext(false, pointsNow), this.timeoutMs,
                        "BrowseNext of " + pointsNow.size() + " continuation points").getResults();
                collect(parentsNow, next, sink, bad, pendingParents, pendingPoints);
            }
        }
    }

    private void collect(List<Parent> parents, BrowseResult[] results, ReferenceSink sink, int[] bad,
            List<Parent> pendingParents, List<ByteString> pendingPoints) {
        for (int i = 0; i < parents.size() && results != null && i < results.length; i++) {
            BrowseResult result = results[i];
            if (result.getStatusCode() != null && !result.getStatusCode().isGood()) {
                if (bad[0]++ == 0) {
                    LOG.warn("Browse of {} returned {}; its children are not collected this time",
                            parents.get(i).nodeId(), Requests.name(result.getStatusCode()));
                }
                continue;
            }
            if (result.getReferences() != null) {
                for (ReferenceDescription reference : result.getReferences()) {
                    sink.accept(parents.get(i), reference);
                }
            }
            ByteString point = result.getContinuationPoint();
            if (point != null && point.isNotNull() && point.length() > 0) {
                pendingParents.add(parents.get(i));
                pendingPoints.add(point);
            }
        }
    }

    private static List<String> append(List<String> list, String element) {
        List<String> copy = new ArrayList<>(list.size() + 1);
        copy.addAll(list);
        copy.add(element);
        return copy;
    }
}
