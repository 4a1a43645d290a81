package io.opcscraper.opcua.internal.structure;

import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/** Where the numeric and Boolean leaves of a decoded structure go. */
public interface Leaves {

    /**
     * One leaf.
     *
     * @param path the variable's tag name (or what the caller started the path with) followed by
     *        {@code .Field} per level and {@code [i]} per array element; only valid during the call
     * @param value the number, a Boolean as 1 or 0 (may be NaN or infinite, as the server sent it)
     */
    void leaf(CharSequence path, double value);

    /** An ExtensionObject inside the value whose encoding is not known: no rows from it. */
    default void unknownEncoding(NodeId encodingId) {
        // ignored unless the caller counts them
    }
}
