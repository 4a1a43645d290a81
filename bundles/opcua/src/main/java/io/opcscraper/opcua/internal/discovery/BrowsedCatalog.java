package io.opcscraper.opcua.internal.discovery;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.opcua.internal.structure.StructureTypes;

/**
 * The variables one browse found, before their structure types are known; {@link #nodes} adds the
 * fields of each structure value once they are. Kept by discovery, so a reload of the types (after
 * a temporary failure, or a value that no longer matches its type) does not browse again.
 *
 * @param units the engineering unit of every variable browsed that has one (collected or not)
 * @param components the variables below each variable, by browse name
 */
record BrowsedCatalog(List<Variable> variables, Map<NodeId, String> units, Map<NodeId, Map<String, NodeId>> components) {

    /** One variable: its node id and data type in this session, and its catalog node without fields. */
    record Variable(NodeId id, NodeId dataType, CatalogNode node) {
    }

    BrowsedCatalog {
        variables = List.copyOf(variables);
    }

    /** The data types of the variables that are not built in: the ones that may be structures. */
    Set<NodeId> dataTypes() {
        Set<NodeId> types = new LinkedHashSet<>();
        for (Variable variable : this.variables) {
            NodeId type = variable.dataType();
            if (type != null && !builtin(type)) {
                types.add(type);
            }
        }
        return types;
    }

    /** The catalog: each variable, with the leaves of its value when its type is a structure of {@code types}. */
    List<CatalogNode> nodes(StructureTypes types) {
        List<CatalogNode> nodes = new ArrayList<>(this.variables.size());
        for (Variable variable : this.variables) {
            CatalogNode node = variable.node();
            if (variable.dataType() != null && types.isStructure(variable.dataType())) {
                node = new CatalogNode(node.nodeId(), node.browsePath(), node.sensorName(), node.tagName(),
                        node.dataType(), node.valueRank(), node.arrayDimensions(), node.accessLevel(),
                        node.engineeringUnit(), node.userAccessLevel(), node.historizing(),
                        types.fields(variable.dataType(), node.valueRank() >= 0, path -> unit(variable.id(), path)));
            }
            nodes.add(node);
        }
        return nodes;
    }

    /** The unit of the variable below {@code variable} along the field names of {@code path}, if the server shows one. */
    private String unit(NodeId variable, List<String> path) {
        NodeId id = variable;
        for (String name : path) {
            Map<String, NodeId> below = this.components.get(id);
            id = below == null ? null : below.get(name);
            if (id == null) {
                return null;
            }
        }
        return this.units.get(id);
    }

    private static boolean builtin(NodeId type) {
        return type.getNamespaceIndex().intValue() == 0 && type.getIdentifier() instanceof UInteger
                && ((UInteger) type.getIdentifier()).longValue() <= 25;
    }
}
