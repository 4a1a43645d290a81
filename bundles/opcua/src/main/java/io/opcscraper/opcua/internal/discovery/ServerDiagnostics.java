package io.opcscraper.opcua.internal.discovery;

import java.util.Set;

import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * What discovery leaves out unless {@code include.server.diagnostics} is set: nodes about the
 * server itself rather than the plant, most of them volatile. The standard Server object (i=2253,
 * with ServerStatus, ServerDiagnostics, the capabilities) and, found by their type definition in
 * whatever namespace a server puts them (open62541 publishes a {@code UaSession:...} object per
 * session in its own namespace), the per-session and per-subscription diagnostics: every
 * session and every reconnect would start new series in the table and the catalog.
 */
final class ServerDiagnostics {

    /** The Server object. */
    static final NodeId SERVER = Identifiers.Server;

    /**
     * SessionDiagnosticsObjectType, SessionsDiagnosticsSummaryType, the session, session security
     * and subscription diagnostics variable types and their array types.
     */
    private static final Set<NodeId> VOLATILE_TYPES = Set.of(Identifiers.SessionDiagnosticsObjectType,
            Identifiers.SessionsDiagnosticsSummaryType, Identifiers.SessionDiagnosticsVariableType,
            Identifiers.SessionDiagnosticsArrayType, Identifiers.SessionSecurityDiagnosticsType,
            Identifiers.SessionSecurityDiagnosticsArrayType, Identifiers.SubscriptionDiagnosticsType,
            Identifiers.SubscriptionDiagnosticsArrayType);

    private ServerDiagnostics() {
    }

    /** Whether a node reached while browsing is left out: the Server object, or an instance of a diagnostics type. */
    static boolean leftOut(NodeId node, ExpandedNodeId typeDefinition) {
        if (SERVER.equals(node)) {
            return true;
        }
        return typeDefinition != null && VOLATILE_TYPES.stream().anyMatch(typeDefinition::equalTo);
    }
}
