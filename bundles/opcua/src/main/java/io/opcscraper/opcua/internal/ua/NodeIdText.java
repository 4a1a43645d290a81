package io.opcscraper.opcua.internal.ua;

import java.util.Optional;

import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * Node ids as text that survives a server restart: namespace 0 as {@code i=85}, every other
 * namespace by its URI, {@code nsu=urn:plant;s=Line1}, because a server may renumber its
 * namespace indexes. Parsing accepts both the {@code nsu=} and the {@code ns=} forms.
 */
public final class NodeIdText {

    private NodeIdText() {
    }

    /** The stable text of a node id, using the session's namespace table. */
    public static String format(NodeId nodeId, NamespaceTable namespaces) {
        String parseable = nodeId.toParseableString();
        int identifier = parseable.indexOf(';');
        if (nodeId.getNamespaceIndex().intValue() == 0) {
            return identifier < 0 ? parseable : parseable.substring(identifier + 1);
        }
        String uri = namespaces.getUri(nodeId.getNamespaceIndex());
        if (uri == null) {
            return parseable;
        }
        return "nsu=" + uri + parseable.substring(identifier);
    }

    /** A node id of this session, or empty when its namespace URI is unknown to the server. */
    public static Optional<NodeId> parse(String text, NamespaceTable namespaces) {
        if (text.startsWith("nsu=")) {
            ExpandedNodeId expanded = ExpandedNodeId.parseOrNull(text);
            return expanded == null ? Optional.empty() : expanded.toNodeId(namespaces);
        }
        return NodeId.parseSafe(text);
    }
}
