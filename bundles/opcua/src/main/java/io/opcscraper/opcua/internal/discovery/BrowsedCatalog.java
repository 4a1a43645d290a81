package io.opcscraper.opcua.internal.discovery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
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
 * a temporary failure, or a value that no longer matches its type) does not browse again; so it
 * keeps only what such a reload can use ({@link #of}).
 *
 * @param plain the catalog node of every variable, in browse order, without fields
 * @param candidates the variables that may be structures (a data type that is not built in), by
 *        their index in {@code plain}
 * @param units the engineering unit of the variables the candidates reach through their components
 * @param components the variables below each variable the candidates reach, by browse name
 */
record BrowsedCatalog(List<CatalogNode> plain, Map<Integer, Variable> candidates, Map<NodeId, String> units,
        Map<NodeId, Map<String, NodeId>> components) {

    /** One variable: its node id and data type in this session, and its catalog node without fields. */
    record Variable(NodeId id, NodeId dataType, CatalogNode node) {
    }

    /**
     * What discovery keeps of a browse for as long as it runs: a variable of a built-in type (or of
     * none) is never a structure, so only its catalog node is kept, not its session ids; units and
     * components only as far as a possible structure reaches through its components. At 50,000
     * variables of built-in types that is about 7 MB less heap than keeping all (a NodeId with its
     * identifier's text, a wrapper and a unit entry a variable; issue 13).
     *
     * @param units the engineering unit of each variable browsed that has one (collected or not)
     * @param components the variables below each variable, by browse name
     */
    static BrowsedCatalog of(List<Variable> variables, Map<NodeId, String> units,
            Map<NodeId, Map<String, NodeId>> components) {
        List<CatalogNode> plain = new ArrayList<>(variables.size());
        Map<Integer, Variable> candidates = new HashMap<>();
        Deque<NodeId> reach = new ArrayDeque<>();
        for (Variable variable : variables) {
            if (variable.dataType() != null && !builtin(variable.dataType())) {
                candidates.put(plain.size(), variable);
                reach.add(variable.id());
            }
            plain.add(variable.node());
        }
        Map<NodeId, String> reachedUnits = new HashMap<>();
        Map<NodeId, Map<String, NodeId>> reachedComponents = new HashMap<>();
        Set<NodeId> seen = new HashSet<>(reach);
        while (!reach.isEmpty()) {
            NodeId id = reach.poll();
            String unit = units.get(id);
            if (unit != null) {
                reachedUnits.put(id, unit);
            }
            Map<String, NodeId> below = components.get(id);
            if (below != null) {
                reachedComponents.put(id, below);
                below.values().stream().filter(seen::add).forEach(reach::add);
            }
        }
        return new BrowsedCatalog(plain, candidates, reachedUnits, reachedComponents);
    }

    BrowsedCatalog {
        plain = List.copyOf(plain);
        candidates = Map.copyOf(candidates);
        units = Map.copyOf(units);
        components = Map.copyOf(components);
    }

    /** The variables whose data type is not built in: the ones that may be structures. */
    Collection<Variable> structureCandidates() {
        return this.candidates.values();
    }

    /** Their data types. */
    Set<NodeId> dataTypes() {
        Set<NodeId> types = new LinkedHashSet<>();
        for (Variable variable : this.candidates.values()) {
            types.add(variable.dataType());
        }
        return types;
    }

    /**
     * The catalog: each variable, with the leaves of its value when its type is a structure of
     * {@code types}. Immutable; {@code plain} itself when no variable is a structure, so that
     * discovery's copy of it ({@code List.copyOf}) is the same list, not a second array of every node.
     */
    List<CatalogNode> nodes(StructureTypes types) {
        if (this.candidates.values().stream().noneMatch(v -> types.isStructure(v.dataType()))) {
            return this.plain;
        }
        List<CatalogNode> nodes = new ArrayList<>(this.plain.size());
        for (int i = 0; i < this.plain.size(); i++) {
            CatalogNode node = this.plain.get(i);
            Variable variable = this.candidates.get(i);
            if (variable != null && types.isStructure(variable.dataType())) {
                node = new CatalogNode(node.nodeId(), node.browsePath(), node.sensorName(), node.tagName(),
                        node.dataType(), node.valueRank(), node.arrayDimensions(), node.accessLevel(),
                        node.engineeringUnit(), node.userAccessLevel(), node.historizing(),
                        types.fields(variable.dataType(), node.valueRank() >= 0, path -> unit(variable.id(), path)));
            }
            nodes.add(node);
        }
        return List.copyOf(nodes);
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
