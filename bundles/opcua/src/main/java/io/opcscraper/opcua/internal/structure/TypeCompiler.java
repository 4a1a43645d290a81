package io.opcscraper.opcua.internal.structure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureDefinition;

import io.opcscraper.opcua.internal.structure.StructureTypes.Entry;

/**
 * Makes the {@link StructureTypes} of one catalog from what the server said: a layout for each
 * structure type the catalog's variables have (or why not), and for the structure types those
 * refer to, so that an ExtensionObject inside a value is decoded too. Stops at
 * {@link StructureTypes#MAX_BYTES} bytes of layouts: a type beyond that is not decoded (said).
 */
final class TypeCompiler {

    private TypeCompiler() {
    }

    /**
     * @param wanted the data types of the catalog's variables that are structures
     * @param dictionaries the server's dictionaries by node (a {@link BsdDictionary} or why not)
     * @param names a type id's stable text form
     * @param namespaces the session's namespace array
     */
    static StructureTypes compile(Set<NodeId> wanted, Map<NodeId, TypeFacts> facts, Map<NodeId, Object> dictionaries,
            BsdDictionary standard, Function<NodeId, String> names, String[] namespaces, long maxBytes) {
        DictionaryLayouts dictionaryLayouts = new DictionaryLayouts(standard);
        dictionaries.values().stream().filter(BsdDictionary.class::isInstance).map(BsdDictionary.class::cast)
                .forEach(dictionaryLayouts::add);
        DefinitionLayouts definitionLayouts = new DefinitionLayouts(facts, dictionaries, dictionaryLayouts, names);
        Map<NodeId, Entry> byDataType = new LinkedHashMap<>();
        Map<NodeId, Entry> byEncoding = new HashMap<>();
        Map<Layout, Boolean> counted = new IdentityHashMap<>();
        long bytes = 0;
        for (NodeId id : order(wanted, facts)) {
            String typeId = names.apply(id);
            NodeId encoding = encoding(facts.get(id));
            Entry entry;
            try {
                if (encoding == null) {
                    throw new DescriptionException("it has no Default Binary encoding (only a custom one)");
                }
                Layout layout = definitionLayouts.structure(id).get();
                long added = 0;
                List<Layout> fresh = new ArrayList<>();
                for (Collection<Layout> created : List.of(definitionLayouts.created(), dictionaryLayouts.created())) {
                    for (Layout made : created) {
                        if (!counted.containsKey(made)) {
                            fresh.add(made);
                            added += made.estimatedBytes();
                        }
                    }
                }
                fresh.forEach(made -> counted.put(made, Boolean.TRUE));
                bytes += added;
                if (bytes > maxBytes) {
                    throw new DescriptionException("the decoders of this catalog's structure types would take more"
                            + " than " + (maxBytes >> 20) + " MiB");
                }
                entry = new Entry(typeId, layout, null);
            } catch (DescriptionException e) {
                if (!wanted.contains(id)) {
                    continue; // only referred to: it fails the types that use it, which say so
                }
                entry = new Entry(typeId, null, e.getMessage());
            }
            byDataType.put(id, entry);
            if (encoding != null) {
                byEncoding.put(encoding, entry);
            }
        }
        return new StructureTypes(byDataType, byEncoding, namespaces, bytes, null);
    }

    /** The catalog's own types first (they get the memory first), then the others; each in id order. */
    private static List<NodeId> order(Set<NodeId> wanted, Map<NodeId, TypeFacts> facts) {
        Comparator<NodeId> byText = Comparator.comparing(NodeId::toParseableString);
        List<NodeId> ids = new ArrayList<>(wanted);
        ids.sort(byText);
        List<NodeId> others = new ArrayList<>();
        for (NodeId id : facts.keySet()) {
            if (!wanted.contains(id) && TypeKind.of(id, facts) == TypeKind.STRUCTURE
                    && !facts.get(id).isAbstract()) {
                others.add(id);
            }
        }
        others.sort(byText);
        ids.addAll(others);
        return ids;
    }

    private static NodeId encoding(TypeFacts facts) {
        if (facts == null) {
            return null;
        }
        if (facts.binaryEncoding() != null) {
            return facts.binaryEncoding();
        }
        if (facts.definition() instanceof StructureDefinition definition && definition.getDefaultEncodingId() != null
                && !definition.getDefaultEncodingId().isNull()) {
            return definition.getDefaultEncodingId();
        }
        return null;
    }
}
