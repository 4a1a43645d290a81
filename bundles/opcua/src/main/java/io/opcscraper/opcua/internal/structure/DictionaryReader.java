package io.opcscraper.opcua.internal.structure;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

import io.opcscraper.opcua.internal.structure.BsdDictionary.DictionaryException;
import io.opcscraper.opcua.internal.structure.LoadFailures.TemporaryLoadFailure;
import io.opcscraper.opcua.internal.structure.TypeFacts.DictionaryEntry;
import io.opcscraper.opcua.internal.ua.ChunkedRequests;
import io.opcscraper.opcua.internal.ua.ChunkedRequests.Browsed;
import io.opcscraper.opcua.internal.ua.Requests;
import io.opcscraper.opcua.internal.ua.Requests.RequestException;

/**
 * Finds a type's entry in the server's 1.03 data type dictionaries (encoding --HasDescription-->
 * DataTypeDescription, whose value is the type's name, a component of the dictionary variable)
 * and reads each dictionary needed once, whole or, when the server finds it too large for one
 * response, in fragments of {@value #FRAGMENT_BYTES} bytes (an IndexRange on the ByteString).
 * A dictionary larger than {@value #MAX_BYTES} bytes is not read (memory bound).
 */
final class DictionaryReader {

    static final int MAX_BYTES = 16 << 20;
    static final int FRAGMENT_BYTES = 64 << 10;

    private final ChunkedRequests requests;
    private final NamespaceTable namespaces;

    DictionaryReader(ChunkedRequests requests, NamespaceTable namespaces) {
        this.requests = requests;
        this.namespaces = namespaces;
    }

    /** The dictionary entries of the types with these binary encodings (those with none are left out). */
    Map<NodeId, DictionaryEntry> entries(Collection<NodeId> encodings) throws RequestException, TemporaryLoadFailure {
        List<NodeId> ids = new ArrayList<>(encodings);
        List<BrowseDescription> toDescriptions = new ArrayList<>();
        for (NodeId encoding : ids) {
            toDescriptions.add(new BrowseDescription(encoding, BrowseDirection.Forward, Identifiers.HasDescription,
                    false, uint(NodeClass.Variable.getValue()), uint(BrowseResultMask.All.getValue())));
        }
        List<Browsed> described = this.requests.browse(toDescriptions, "data type encodings");
        Map<NodeId, NodeId> descriptionOf = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            NodeId encoding = ids.get(i);
            check("the description of encoding " + encoding, described.get(i).status());
            described.get(i).references().stream().map(r -> r.getNodeId().toNodeId(this.namespaces).orElse(null))
                    .filter(id -> id != null).findFirst().ifPresent(d -> descriptionOf.put(encoding, d));
        }
        List<NodeId> descriptions = new ArrayList<>(descriptionOf.values());
        List<ReadValueId> names = new ArrayList<>();
        List<BrowseDescription> toDictionaries = new ArrayList<>();
        for (NodeId description : descriptions) {
            names.add(new ReadValueId(description, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE));
            toDictionaries.add(new BrowseDescription(description, BrowseDirection.Inverse, Identifiers.HasComponent,
                    false, uint(NodeClass.Variable.getValue()), uint(BrowseResultMask.All.getValue())));
        }
        List<DataValue> values = this.requests.read(names, "data type descriptions");
        List<Browsed> parents = this.requests.browse(toDictionaries, "data type descriptions");
        Map<NodeId, DictionaryEntry> entries = new HashMap<>();
        int i = 0;
        for (Map.Entry<NodeId, NodeId> link : descriptionOf.entrySet()) {
            DataValue name = values.get(i);
            Browsed parent = parents.get(i++);
            check("the name of description " + link.getValue(), name.getStatusCode());
            check("the dictionary of description " + link.getValue(), parent.status());
            Object text = name.getValue() == null ? null : name.getValue().getValue();
            NodeId dictionary = parent.references().stream()
                    .map(r -> r.getNodeId().toNodeId(this.namespaces).orElse(null)).filter(id -> id != null)
                    .findFirst().orElse(null);
            if (text instanceof String && dictionary != null) {
                entries.put(link.getKey(), new DictionaryEntry(dictionary, (String) text));
            }
        }
        return entries;
    }

    /** Each dictionary, parsed, or the {@link DictionaryException} that says why it cannot be used. */
    Map<NodeId, Object> dictionaries(Collection<NodeId> nodes) throws RequestException, TemporaryLoadFailure {
        Map<NodeId, Object> dictionaries = new HashMap<>();
        for (NodeId node : nodes) {
            try {
                dictionaries.put(node, BsdDictionary.parse(bytes(node)));
            } catch (DictionaryException e) {
                dictionaries.put(node, e);
            }
        }
        return dictionaries;
    }

    private byte[] bytes(NodeId node) throws RequestException, TemporaryLoadFailure, DictionaryException {
        DataValue whole;
        try {
            whole = this.requests.read(List.of(new ReadValueId(node, AttributeId.Value.uid(), null,
                    QualifiedName.NULL_VALUE)), "data type dictionary").get(0);
        } catch (RequestException e) {
            if (!tooLarge(e.statusCode())) {
                throw e;
            }
            whole = new DataValue(new StatusCode(e.statusCode()));
        }
        if (good(whole.getStatusCode())) {
            return content(whole, "it");
        }
        if (!tooLarge(whole.getStatusCode().getValue())) {
            check("data type dictionary " + node, whole.getStatusCode());
            throw new DictionaryException("it cannot be read: " + Requests.name(whole.getStatusCode()));
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            String range = all.size() + ":" + (all.size() + FRAGMENT_BYTES - 1);
            DataValue fragment = this.requests.read(List.of(new ReadValueId(node, AttributeId.Value.uid(), range,
                    QualifiedName.NULL_VALUE)), "data type dictionary fragment").get(0);
            if (!good(fragment.getStatusCode())) {
                if (fragment.getStatusCode().getValue() == StatusCodes.Bad_IndexRangeNoData) {
                    return all.toByteArray();
                }
                check("a fragment of data type dictionary " + node, fragment.getStatusCode());
                throw new DictionaryException("a fragment at " + range + " cannot be read: "
                        + Requests.name(fragment.getStatusCode()));
            }
            byte[] bytes = content(fragment, "a fragment");
            all.write(bytes, 0, bytes.length);
            if (all.size() > MAX_BYTES) {
                throw new DictionaryException("it is larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            if (bytes.length < FRAGMENT_BYTES || bytes.length > FRAGMENT_BYTES) {
                return all.toByteArray(); // the last fragment, or a server that ignores the range
            }
        }
    }

    /** A response too large for the server or this client: read the dictionary in fragments. */
    private static boolean tooLarge(long code) {
        return code == StatusCodes.Bad_ResponseTooLarge || code == StatusCodes.Bad_EncodingLimitsExceeded
                || code == StatusCodes.Bad_TcpMessageTooLarge;
    }

    private static byte[] content(DataValue value, String what) throws DictionaryException {
        Object raw = value.getValue() == null ? null : value.getValue().getValue();
        if (!(raw instanceof ByteString)) {
            throw new DictionaryException(what + " is not a ByteString");
        }
        byte[] bytes = ((ByteString) raw).bytesOrEmpty();
        if (bytes.length > MAX_BYTES) {
            throw new DictionaryException("it is larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        return bytes;
    }

    private static boolean good(StatusCode status) {
        return status == null || status.isGood();
    }

    private static void check(String what, StatusCode status) throws TemporaryLoadFailure {
        if (!good(status) && LoadFailures.temporary(status.getValue())) {
            throw new TemporaryLoadFailure("reading " + what + " gave " + Requests.name(status));
        }
    }
}
