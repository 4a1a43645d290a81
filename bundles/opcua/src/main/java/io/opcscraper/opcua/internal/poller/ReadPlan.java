package io.opcscraper.opcua.internal.poller;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.opcua.internal.ua.NodeIdText;

/**
 * The catalog split into read requests of at most {@code chunkSize} nodes, for one session
 * (node ids resolved against its namespace table). Unreadable variables (no CurrentRead access)
 * are left out.
 */
final class ReadPlan {

    /** One read request: node ids and the catalog nodes they belong to, in the same order. */
    record Chunk(List<NodeId> ids, List<CatalogNode> nodes) {
    }

    private final List<Chunk> chunks;
    private final int nodeCount;
    private final int chunkSize;

    private ReadPlan(List<Chunk> chunks, int nodeCount, int chunkSize) {
        this.chunks = chunks;
        this.nodeCount = nodeCount;
        this.chunkSize = chunkSize;
    }

    /**
     * The plan of {@code catalog}. Its chunks are views of two immutable lists: the node ids, and the
     * catalog itself when every node is read ({@code List.copyOf} of discovery's immutable catalog is
     * that list: no second array of every node for as long as the plan lives).
     */
    static ReadPlan of(List<CatalogNode> catalog, NamespaceTable namespaces, int chunkSize) {
        List<NodeId> parsed = new ArrayList<>(catalog.size());
        List<CatalogNode> read = new ArrayList<>(catalog.size());
        for (CatalogNode node : catalog) {
            if (!node.isReadable()) {
                continue;
            }
            NodeIdText.parse(node.nodeId(), namespaces).ifPresent(id -> {
                parsed.add(sharingNames(id, node));
                read.add(node);
            });
        }
        List<NodeId> ids = List.copyOf(parsed);
        List<CatalogNode> nodes = read.size() == catalog.size() ? List.copyOf(catalog) : List.copyOf(read);
        int size = Math.max(1, chunkSize);
        List<Chunk> chunks = new ArrayList<>();
        for (int start = 0; start < ids.size(); start += size) {
            int end = Math.min(ids.size(), start + size);
            chunks.add(new Chunk(ids.subList(start, end), nodes.subList(start, end)));
        }
        return new ReadPlan(List.copyOf(chunks), ids.size(), size);
    }

    /**
     * {@code id}, its string identifier the catalog's own String when it equals the node's browse
     * path or browse name: servers built on Milo, and many others, name a node by its path, and the
     * plan lives as long as the catalog, so this is one String fewer a tag (about 90 bytes for a
     * 40-character identifier).
     */
    static NodeId sharingNames(NodeId id, CatalogNode node) {
        if (id.getIdentifier() instanceof String identifier) {
            for (String name : new String[] { node.browsePath(), node.tagName() }) {
                if (identifier.equals(name)) {
                    return identifier == name ? id : new NodeId(id.getNamespaceIndex(), name);
                }
            }
        }
        return id;
    }

    List<Chunk> chunks() {
        return this.chunks;
    }

    int nodeCount() {
        return this.nodeCount;
    }

    int chunkSize() {
        return this.chunkSize;
    }
}
