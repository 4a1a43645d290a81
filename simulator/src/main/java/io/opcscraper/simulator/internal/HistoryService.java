package io.opcscraper.simulator.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.SessionListener;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DiagnosticInfo;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.server.UaStackServer;
import org.eclipse.milo.opcua.stack.server.services.ServiceRequestHandler;

/**
 * What Milo 0.6's HistoryRead service does not do for the plant's {@link PlantHistory}, installed
 * in front of Milo's handler of an endpoint path:
 * <ul>
 * <li>MaxNodesPerHistoryReadData: Milo checks a HistoryRead against MaxNodesPerRead; more nodes
 * than MaxNodesPerHistoryReadData get the service fault Bad_TooManyOperations here.</li>
 * <li>releaseContinuationPoints: Milo does not pass the flag on to the namespace, so a release
 * request is answered here (the points are released, Good results without data). The points are 16
 * random bytes, so only their session can name them.</li>
 * </ul>
 * Points of a session that closes are dropped.
 */
final class HistoryService {

    private HistoryService() {
    }

    static void install(OpcUaServer server, Iterable<String> paths, PlantHistory history, int maxNodes) {
        UaStackServer stack = server.getStackServer();
        for (String path : paths) {
            ServiceRequestHandler milo = stack.getServiceHandler(path, HistoryReadRequest.TYPE_ID);
            if (milo == null) {
                throw new IllegalStateException("Milo registered no HistoryRead handler at " + path);
            }
            stack.addServiceHandler(path, HistoryReadRequest.TYPE_ID, service -> {
                HistoryReadRequest request = (HistoryReadRequest) service.getRequest();
                HistoryReadValueId[] nodes = request.getNodesToRead();
                if (nodes != null && nodes.length > maxNodes) {
                    service.setServiceFault(StatusCodes.Bad_TooManyOperations);
                } else if (Boolean.TRUE.equals(request.getReleaseContinuationPoints()) && nodes != null) {
                    List<ByteString> points = new ArrayList<>();
                    Arrays.stream(nodes).map(HistoryReadValueId::getContinuationPoint)
                        .filter(p -> p != null && p.isNotNull()).forEach(points::add);
                    history.release(points);
                    HistoryReadResult[] results = new HistoryReadResult[nodes.length];
                    Arrays.fill(results, new HistoryReadResult(StatusCode.GOOD, ByteString.NULL_VALUE, null));
                    service.setResponse(new HistoryReadResponse(service.createResponseHeader(), results,
                        new DiagnosticInfo[0]));
                } else {
                    milo.handle(service);
                }
            });
        }
        server.getSessionManager().addSessionListener(new SessionListener() {
            @Override
            public void onSessionClosed(Session session) {
                history.sessionClosed(session.getSessionId());
            }
        });
    }
}
