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

    /**
     * One read request: node ids (made when read: take them once per request) and the catalog nodes
     * they belong to, in the same order.
     */
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
     * The plan of {@code catalog}. Its chunks are views of the catalog itself when every node is
     * read ({@code List.copyOf} of discovery's immutable catalog is that list: no second array of
     * every node for as long as the plan lives) and of the node ids in compact form
     * ({@link CompactNodeIds}: made again when a request is built).
     */
    static ReadPlan of(List<CatalogNode> catalog, NamespaceTable namespaces, int chunkSize) {
        List<NodeId> parsed = new ArrayList<>(catalog.size());
        List<CatalogNode> read = new ArrayList<>(catalog.size());
        for (CatalogNode node : catalog) {
            if (!node.isReadable()) {
                continue;
            }
            NodeIdText.parse(node.nodeId(), namespaces).ifPresent(id -> {
                parsed.add(id);
                read.add(node);
            });
        }
        List<CatalogNode> nodes = read.size() == catalog.size() ? List.copyOf(catalog) : List.copyOf(read);
        CompactNodeIds ids = CompactNodeIds.of(nodes, parsed);
        int size = Math.max(1, chunkSize);
        List<Chunk> chunks = new ArrayList<>();
        for (int start = 0; start < ids.size(); start += size) {
            int end = Math.min(ids.size(), start + size);
            chunks.add(new Chunk(ids.view(start, end), nodes.subList(start, end)));
        }
        return new ReadPlan(List.copyOf(chunks), ids.size(), size);
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
