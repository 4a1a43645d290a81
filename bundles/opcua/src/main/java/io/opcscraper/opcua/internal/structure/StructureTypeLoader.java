package io.opcscraper.opcua.internal.structure;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

import io.opcscraper.opcua.internal.structure.BsdDictionary.DictionaryException;
import io.opcscraper.opcua.internal.structure.LoadFailures.TemporaryLoadFailure;
import io.opcscraper.opcua.internal.structure.TypeFacts.DictionaryEntry;
import io.opcscraper.opcua.internal.ua.ChunkedRequests;
import io.opcscraper.opcua.internal.ua.NodeIdText;
import io.opcscraper.opcua.internal.ua.OperationLimits;
import io.opcscraper.opcua.internal.ua.Requests.RequestException;

/**
 * Reads the descriptions of a catalog's structure types from the server and compiles them into
 * {@link StructureTypes}: DataTypeDefinitions where the server has them (1.04), else its data type
 * dictionaries (1.03), and the OPC UA dictionary Milo ships for the standard types. One per
 * discovery instance: it keeps the parsed OPC UA dictionary (parsed the first time a catalog has a
 * structure), nothing of a server.
 */
public final class StructureTypeLoader {

    private BsdDictionary standard;
    private DictionaryException standardProblem;

    /** A load that may succeed later (a timeout, a lost session): retry with a backoff. */
    public static final class TemporaryFailure extends Exception {

        private static final long serialVersionUID = 1L;

        TemporaryFailure(String message) {
            super(message);
        }
    }

    /**
     * The structure types among {@code dataTypes} (the data types of the catalog's variables),
     * with a layout each or the reason they have none.
     */
    public StructureTypes load(OpcUaClient client, Collection<NodeId> dataTypes, OperationLimits limits,
            long timeoutMs) throws TemporaryFailure {
        ChunkedRequests requests = new ChunkedRequests(client, timeoutMs, limits);
        Function<NodeId, String> names = id -> NodeIdText.format(id, client.getNamespaceTable());
        try {
            Map<NodeId, TypeFacts> facts = new HashMap<>();
            new TypeReader(requests, client.getNamespaceTable()).read(dataTypes, facts);
            Set<NodeId> wanted = new LinkedHashSet<>();
            for (NodeId id : dataTypes) {
                TypeFacts type = facts.get(id);
                if (type != null && !type.isAbstract() && TypeKind.of(id, facts) == TypeKind.STRUCTURE) {
                    wanted.add(id);
                }
            }
            if (wanted.isEmpty()) {
                return StructureTypes.empty(client.getNamespaceTable().toArray()); // the OPC UA dictionary stays unparsed
            }
            Map<NodeId, Object> dictionaries = dictionaries(client, requests, facts);
            return TypeCompiler.compile(wanted, facts, dictionaries, standard(), names,
                    client.getNamespaceTable().toArray(), StructureTypes.MAX_BYTES);
        } catch (RequestException e) {
            if (LoadFailures.temporary(e.statusCode())) {
                throw new TemporaryFailure(e.getMessage());
            }
            // A whole request the server refuses for good (e.g. Bad_ServiceUnsupported): no types.
            return StructureTypes.none().withProblem("reading the type descriptions failed: " + e.getMessage());
        } catch (TemporaryLoadFailure e) {
            throw new TemporaryFailure(e.getMessage());
        } catch (DictionaryException e) {
            return StructureTypes.none().withProblem("the OPC UA dictionary Milo ships cannot be used: "
                    + e.getMessage());
        }
    }

    /**
     * The dictionary entries of the structures that have no definition (not of namespace 0, which
     * the OPC UA dictionary describes), filled into their facts, and the dictionaries they are in.
     */
    private static Map<NodeId, Object> dictionaries(OpcUaClient client, ChunkedRequests requests,
            Map<NodeId, TypeFacts> facts) throws RequestException, TemporaryLoadFailure {
        Map<NodeId, NodeId> typeOfEncoding = new HashMap<>();
        for (TypeFacts type : facts.values()) {
            if (type.definition() == null && type.binaryEncoding() != null && type.id().getNamespaceIndex().intValue() != 0
                    && TypeKind.of(type.id(), facts) == TypeKind.STRUCTURE) {
                typeOfEncoding.put(type.binaryEncoding(), type.id());
            }
        }
        if (typeOfEncoding.isEmpty()) {
            return Map.of();
        }
        DictionaryReader reader = new DictionaryReader(requests, client.getNamespaceTable());
        Map<NodeId, DictionaryEntry> entries = reader.entries(typeOfEncoding.keySet());
        Set<NodeId> needed = new HashSet<>();
        entries.forEach((encoding, entry) -> {
            TypeFacts type = facts.get(typeOfEncoding.get(encoding));
            facts.put(type.id(), type.with(entry));
            needed.add(entry.dictionary());
        });
        return reader.dictionaries(needed);
    }

    private BsdDictionary standard() throws DictionaryException {
        if (this.standard == null) {
            if (this.standardProblem != null) {
                throw this.standardProblem;
            }
            try {
                this.standard = BsdDictionary.standard();
            } catch (DictionaryException e) {
                this.standardProblem = e;
                throw e;
            }
        }
        return this.standard;
    }

}
