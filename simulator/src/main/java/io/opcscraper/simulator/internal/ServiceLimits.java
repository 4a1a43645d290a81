package io.opcscraper.simulator.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.SessionListener;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.serialization.UaRequestMessage;
import org.eclipse.milo.opcua.stack.core.serialization.UaResponseMessage;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DiagnosticInfo;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseNextRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseNextResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateMonitoredItemsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateSessionResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateSessionRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.DeleteMonitoredItemsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ModifyMonitoredItemsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.SetMonitoringModeRequest;
import org.eclipse.milo.opcua.stack.server.UaStackServer;
import org.eclipse.milo.opcua.stack.server.services.ServiceRequest;
import org.eclipse.milo.opcua.stack.server.services.ServiceRequestHandler;

/**
 * Operation limits Milo 0.6 does not enforce itself, installed over Milo's service handlers of an
 * endpoint path (Milo registers them in the {@code OpcUaServer} constructor; the stack server's
 * handler table lets us put a wrapper in front of each):
 * <ul>
 * <li>MaxMonitoredItemsPerCall: Milo 0.6 advertises it but never checks it. Create/Modify/Delete
 * MonitoredItems and SetMonitoringMode with more items get the service fault Bad_TooManyOperations.</li>
 * <li>References per Browse/BrowseNext response: Milo's only server-side paging is the client's
 * requestedMaxReferencesPerNode. The wrapper asks Milo for every reference (max 0), then returns at most
 * {@code maxReferencesPerResponse} references in the response (at least one per node that has any),
 * and keeps the rest behind continuation points of its own (16 random bytes, per session
 * authentication token ({@link ContinuationPoints}), at most MaxBrowseContinuationPoints per session, else
 * Bad_NoContinuationPoints). BrowseNext goes to Milo first, which validates the session and the
 * number of continuation points (Milo itself never holds one, as it is always asked for
 * everything); its per-point results are then replaced by ours. Points are dropped when their
 * session closes (CreateSession is wrapped to learn the session's authentication token).</li>
 * </ul>
 * MaxNodesPerRead and MaxNodesPerBrowse are enforced by Milo from {@code OpcUaServerConfigLimits}.
 */
final class ServiceLimits {

    private static final StatusCode BAD_CONTINUATION_POINT_INVALID =
        new StatusCode(StatusCodes.Bad_ContinuationPointInvalid);
    private static final StatusCode BAD_NO_CONTINUATION_POINTS = new StatusCode(StatusCodes.Bad_NoContinuationPoints);
    private static final ReferenceDescription[] NO_REFERENCES = new ReferenceDescription[0];

    private final OpcUaServer server;
    private final int maxMonitoredItemsPerCall;
    private final int maxReferencesPerResponse;
    /** By the authentication token of a session. */
    private final ContinuationPoints<Pending> continuationPoints;
    /** Session id -> authentication token, for the clean-up when a session closes. */
    private final Map<NodeId, NodeId> authenticationTokens = new ConcurrentHashMap<>();

    /** The references of one node not yet returned. */
    private record Pending(ReferenceDescription[] references, int offset, int maxPerNode) {
    }

    private ServiceLimits(OpcUaServer server, SimulatorConfig config) {
        this.server = server;
        this.maxMonitoredItemsPerCall = config.maxMonitoredItemsPerCall();
        this.maxReferencesPerResponse = config.maxReferencesPerBrowse();
        this.continuationPoints = new ContinuationPoints<>(
            server.getConfig().getLimits().getMaxBrowseContinuationPoints().intValue());
    }

    /** Installs the wrappers on every endpoint path; call after {@code new OpcUaServer(..)}, before startup. */
    static ServiceLimits install(OpcUaServer server, Iterable<String> paths, SimulatorConfig config) {
        ServiceLimits limits = new ServiceLimits(server, config);
        for (String path : paths) {
            limits.installOn(path);
        }
        if (limits.maxReferencesPerResponse > 0) {
            server.getSessionManager().addSessionListener(new SessionListener() {
                @Override
                public void onSessionClosed(Session session) {
                    NodeId token = limits.authenticationTokens.remove(session.getSessionId());
                    if (token != null) {
                        limits.continuationPoints.forget(token);
                    }
                }
            });
        }
        return limits;
    }

    /** Drops every continuation point (server shutdown). */
    void clear() {
        continuationPoints.clear();
        authenticationTokens.clear();
    }

    private void installOn(String path) {
        UaStackServer stack = server.getStackServer();
        limitItems(stack, path, CreateMonitoredItemsRequest.TYPE_ID,
            r -> length(((CreateMonitoredItemsRequest) r).getItemsToCreate()));
        limitItems(stack, path, ModifyMonitoredItemsRequest.TYPE_ID,
            r -> length(((ModifyMonitoredItemsRequest) r).getItemsToModify()));
        limitItems(stack, path, DeleteMonitoredItemsRequest.TYPE_ID,
            r -> length(((DeleteMonitoredItemsRequest) r).getMonitoredItemIds()));
        limitItems(stack, path, SetMonitoringModeRequest.TYPE_ID,
            r -> length(((SetMonitoringModeRequest) r).getMonitoredItemIds()));

        if (maxReferencesPerResponse > 0) {
            ServiceRequestHandler createSession = required(stack, path, CreateSessionRequest.TYPE_ID);
            ServiceRequestHandler browse = required(stack, path, BrowseRequest.TYPE_ID);
            ServiceRequestHandler browseNext = required(stack, path, BrowseNextRequest.TYPE_ID);
            stack.addServiceHandler(path, CreateSessionRequest.TYPE_ID, s -> onCreateSession(s, createSession));
            stack.addServiceHandler(path, BrowseRequest.TYPE_ID, s -> onBrowse(s, browse));
            stack.addServiceHandler(path, BrowseNextRequest.TYPE_ID, s -> onBrowseNext(s, browseNext));
        }
    }

    private static ServiceRequestHandler required(UaStackServer stack, String path, ExpandedNodeId typeId) {
        ServiceRequestHandler handler = stack.getServiceHandler(path, typeId);
        if (handler == null) {
            throw new IllegalStateException("Milo registered no handler for " + typeId + " at " + path);
        }
        return handler;
    }

    private void limitItems(UaStackServer stack, String path, ExpandedNodeId typeId,
                            ToIntFunction<UaRequestMessage> count) {
        ServiceRequestHandler delegate = required(stack, path, typeId);
        stack.addServiceHandler(path, typeId, service -> {
            if (count.applyAsInt(service.getRequest()) > maxMonitoredItemsPerCall) {
                service.setServiceFault(StatusCodes.Bad_TooManyOperations);
            } else {
                delegate.handle(service);
            }
        });
    }

    private static int length(Object[] array) {
        return array == null ? 0 : array.length;
    }

    // ----- sessions -----

    private void onCreateSession(ServiceRequest service, ServiceRequestHandler delegate) throws UaException {
        forward(service, service.getRequest(), delegate, response -> {
            if (response instanceof CreateSessionResponse created) {
                authenticationTokens.put(created.getSessionId(), created.getAuthenticationToken());
            }
            return response;
        });
    }

    // ----- Browse / BrowseNext -----

    private void onBrowse(ServiceRequest service, ServiceRequestHandler delegate) throws UaException {
        BrowseRequest request = (BrowseRequest) service.getRequest();
        int maxPerNode = maxPerNode(request.getRequestedMaxReferencesPerNode());
        BrowseRequest everything = new BrowseRequest(request.getRequestHeader(), request.getView(), uint(0),
            request.getNodesToBrowse());
        NodeId token = request.getRequestHeader().getAuthenticationToken();
        forward(service, everything, delegate, response -> {
            if (!(response instanceof BrowseResponse browsed) || browsed.getResults() == null) {
                return response;
            }
            BrowseResult[] results = browsed.getResults();
            BrowseResult[] paged = new BrowseResult[results.length];
            int budget = maxReferencesPerResponse;
            for (int i = 0; i < results.length; i++) {
                BrowseResult result = results[i];
                ReferenceDescription[] references = result.getReferences();
                StatusCode status = result.getStatusCode();
                if ((status != null && !status.isGood()) || references == null || references.length == 0) {
                    paged[i] = result;
                    continue;
                }
                int limit = Math.min(maxPerNode, Math.max(1, budget));
                if (references.length <= limit) {
                    paged[i] = result;
                    budget -= references.length;
                    continue;
                }
                ByteString point = continuationPoints.add(token, new Pending(references, limit, maxPerNode));
                if (point == null) {
                    paged[i] = new BrowseResult(BAD_NO_CONTINUATION_POINTS, ByteString.NULL_VALUE, NO_REFERENCES);
                } else {
                    paged[i] = new BrowseResult(result.getStatusCode(), point, Arrays.copyOf(references, limit));
                    budget -= limit;
                }
            }
            return new BrowseResponse(browsed.getResponseHeader(), paged, browsed.getDiagnosticInfos());
        });
    }

    private void onBrowseNext(ServiceRequest service, ServiceRequestHandler delegate) throws UaException {
        BrowseNextRequest request = (BrowseNextRequest) service.getRequest();
        NodeId token = request.getRequestHeader().getAuthenticationToken();
        // Milo validates the session and the number of points; its per-point answers are discarded.
        forward(service, request, delegate, response -> {
            if (!(response instanceof BrowseNextResponse next)) {
                return response;
            }
            ByteString[] points = request.getContinuationPoints();
            BrowseResult[] results = new BrowseResult[points.length];
            int budget = maxReferencesPerResponse;
            for (int i = 0; i < points.length; i++) {
                ByteString point = points[i];
                Pending p = continuationPoints.take(token, point);
                if (p == null) {
                    results[i] = new BrowseResult(BAD_CONTINUATION_POINT_INVALID, ByteString.NULL_VALUE, null);
                } else if (request.getReleaseContinuationPoints()) {
                    results[i] = new BrowseResult(StatusCode.GOOD, ByteString.NULL_VALUE, null);
                } else {
                    int limit = Math.min(p.maxPerNode(), Math.max(1, budget));
                    int end = (int) Math.min(p.references().length, (long) p.offset() + limit);
                    ReferenceDescription[] page = Arrays.copyOfRange(p.references(), p.offset(), end);
                    budget -= page.length;
                    if (end < p.references().length) {
                        continuationPoints.put(token, point, new Pending(p.references(), end, p.maxPerNode()));
                        results[i] = new BrowseResult(StatusCode.GOOD, point, page);
                    } else {
                        results[i] = new BrowseResult(StatusCode.GOOD, ByteString.NULL_VALUE, page);
                    }
                }
            }
            return new BrowseNextResponse(next.getResponseHeader(), results, new DiagnosticInfo[0]);
        });
    }

    private static int maxPerNode(UInteger requested) {
        long max = requested == null ? 0 : requested.longValue();
        return max == 0 || max > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) max;
    }

    /**
     * Runs {@code delegate} (a Milo handler) on a copy of {@code service} carrying {@code request}, and
     * completes {@code service} with its response passed through {@code transform}, or with its fault.
     */
    private static void forward(ServiceRequest service, UaRequestMessage request, ServiceRequestHandler delegate,
                                Function<UaResponseMessage, UaResponseMessage> transform) throws UaException {
        ServiceRequest inner = new ServiceRequest(service.getServer(), request, service.getEndpoint(),
            service.getSecureChannelId(), service.getClientAddress(), service.getClientCertificateBytes());
        inner.getFuture().whenComplete((response, failure) -> {
            if (failure != null) {
                service.setServiceFault(uaException(failure));
                return;
            }
            UaResponseMessage transformed;
            try {
                transformed = transform.apply(response);
            } catch (RuntimeException e) {
                service.setServiceFault(new UaException(StatusCodes.Bad_InternalError, e));
                return;
            }
            service.setResponse(transformed);
        });
        delegate.handle(inner);
    }

    private static UaException uaException(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof UaException e ? e : new UaException(StatusCodes.Bad_InternalError, t);
    }
}
