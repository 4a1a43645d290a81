package io.opcscraper.opcua.internal.poller;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

import io.opcscraper.api.CatalogNode;

/**
 * The session node ids of a read plan, in about 7 bytes a node instead of a Milo {@code NodeId}
 * with its own identifier text (about 120 bytes: 6 MB at 50,000 tags, for as long as the catalog
 * lives). A node's id is made again when a request is built ({@link #get}): a string identifier
 * is the end of the node's id text in the catalog ({@code nsu=...;s=Plant/Line1/...}), or its
 * browse path or name, and a numeric one is kept as its 32 bits; only other ids (GUID, opaque, a
 * string the text escapes) keep their {@code NodeId}. Making one costs a NodeId and, for a string,
 * a copy of its identifier (about 120 bytes of young garbage a node per poll, no parsing): the
 * heap a gateway keeps matters more than that (measured in docs/benchmarks.md).
 */
final class CompactNodeIds {

    private static final byte SUFFIX = 0;
    private static final byte BROWSE_PATH = 1;
    private static final byte TAG_NAME = 2;
    private static final byte NUMERIC = 3;
    private static final byte KEPT = 4;

    private final List<CatalogNode> nodes;
    /** The namespace indexes in use, each one {@code UShort}. */
    private final UShort[] namespaces;
    /** Per node: its namespace's place in {@link #namespaces}. */
    private final char[] namespace;
    /** Per node: how its identifier is made again. */
    private final byte[] kind;
    /** Per node: where the identifier starts in the id text (SUFFIX), or the numeric identifier's bits. */
    private final int[] value;
    /** The nodes of kind KEPT, by position. */
    private final Map<Integer, NodeId> kept;

    private CompactNodeIds(List<CatalogNode> nodes, UShort[] namespaces, char[] namespace, byte[] kind, int[] value,
            Map<Integer, NodeId> kept) {
        this.nodes = nodes;
        this.namespaces = namespaces;
        this.namespace = namespace;
        this.kind = kind;
        this.value = value;
        this.kept = kept;
    }

    /** @param ids each node's id as parsed for the session, in the order of {@code nodes} */
    static CompactNodeIds of(List<CatalogNode> nodes, List<NodeId> ids) {
        int size = ids.size();
        List<UShort> namespaces = new ArrayList<>();
        Map<UShort, Character> places = new HashMap<>();
        char[] namespace = new char[size];
        byte[] kind = new byte[size];
        int[] value = new int[size];
        Map<Integer, NodeId> kept = new HashMap<>();
        for (int i = 0; i < size; i++) {
            NodeId id = ids.get(i);
            CatalogNode node = nodes.get(i);
            Character place = places.get(id.getNamespaceIndex());
            if (place == null) {
                place = (char) namespaces.size();
                namespaces.add(id.getNamespaceIndex());
                places.put(id.getNamespaceIndex(), place);
            }
            namespace[i] = place;
            Object identifier = id.getIdentifier();
            String text = node.nodeId();
            if (identifier instanceof String name) {
                if (name.equals(node.browsePath())) {
                    kind[i] = BROWSE_PATH;
                } else if (name.equals(node.tagName())) {
                    kind[i] = TAG_NAME;
                } else if (text.endsWith(name)) {
                    kind[i] = SUFFIX;
                    value[i] = text.length() - name.length();
                } else {
                    kind[i] = KEPT;
                }
            } else if (identifier instanceof UInteger number) {
                kind[i] = NUMERIC;
                value[i] = number.intValue();
            } else {
                kind[i] = KEPT;
            }
            if (kind[i] == KEPT) {
                kept.put(i, id);
            }
        }
        return new CompactNodeIds(nodes, namespaces.toArray(new UShort[0]), namespace, kind, value,
                kept.isEmpty() ? Map.of() : kept);
    }

    int size() {
        return this.kind.length;
    }

    /** The id of the node at {@code i}, made again (equal to the id it was made from). */
    NodeId get(int i) {
        UShort index = this.namespaces[this.namespace[i]];
        CatalogNode node = this.nodes.get(i);
        switch (this.kind[i]) {
        case SUFFIX:
            return new NodeId(index, node.nodeId().substring(this.value[i]));
        case BROWSE_PATH:
            return new NodeId(index, node.browsePath());
        case TAG_NAME:
            return new NodeId(index, node.tagName());
        case NUMERIC:
            return new NodeId(index, uint(Integer.toUnsignedLong(this.value[i])));
        default:
            return this.kept.get(i);
        }
    }

    /** The ids of the nodes from {@code from} (inclusive) to {@code to} (exclusive), made when read. */
    List<NodeId> view(int from, int to) {
        return new View(from, to - from);
    }

    private final class View extends AbstractList<NodeId> implements RandomAccess {
        private final int offset;
        private final int size;

        View(int offset, int size) {
            this.offset = offset;
            this.size = size;
        }

        @Override
        public NodeId get(int index) {
            return CompactNodeIds.this.get(this.offset + Objects.checkIndex(index, this.size));
        }

        @Override
        public int size() {
            return this.size;
        }
    }
}
