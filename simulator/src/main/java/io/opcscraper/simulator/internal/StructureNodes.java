package io.opcscraper.simulator.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.serialization.SerializationContext;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ServerState;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.stack.core.types.structured.ServerStatusDataType;

import io.opcscraper.simulator.PlantServer;
import io.opcscraper.simulator.internal.StructureModel.Type;

/**
 * The plant's structures in the address space: its data types (each with a Default Binary
 * encoding, a DataTypeDefinition and an entry in the dictionary {@code DataTypes/PlantTypes}, as
 * {@link SimulatorConfig#structureDescriptions()} says), the variables under {@code Structures}, and
 * what an open62541 server shows per session in its own namespace ({@code Diagnostics}).
 */
final class StructureNodes {

    /** The types described by both definitions and the dictionary. */
    static final String BOTH = "both";
    static final String DEFINITIONS = "definitions";
    static final String DICTIONARY = "dictionary";
    static final String SESSION_OBJECT = "UaSession:OPC Scraper:1796514062410";
    private static final int BLOCKS_PER_GROUP = 100;

    private final PlantNamespace namespace;
    private final StructureModel model;
    private final ValueModel values;
    private final SerializationContext serialization;
    private final String descriptions;
    private final double minimumSamplingInterval;
    /** The current version of each type (a type may get a field at run time), by name. */
    private final Map<String, Type> types = new LinkedHashMap<>();

    StructureNodes(PlantNamespace namespace, ValueModel values, SerializationContext serialization,
                   String descriptions, double minimumSamplingInterval) {
        this.namespace = namespace;
        this.model = new StructureModel(namespace.namespaceIndexValue());
        this.values = values;
        this.serialization = serialization;
        this.descriptions = descriptions;
        this.minimumSamplingInterval = minimumSamplingInterval;
        DefinitionCodecs.register(serialization.getDataTypeManager(), serialization.getNamespaceTable());
        for (Type type : List.of(StructureModel.MOTOR_STATE, StructureModel.MOTOR_STATUS, StructureModel.AXIS,
            StructureModel.MOTOR, StructureModel.READING, StructureModel.BROKEN, StructureModel.BLOCK,
            StructureModel.hostile(PlantNamespace.HOSTILE_NAMES))) {
            types.put(type.name(), type);
        }
    }

    /** Adds the data types, the structure variables ({@code blocks} Block variables among them) and the session diagnostics. */
    void add(int blocks) {
        for (Type type : types.values()) {
            addType(type);
        }
        if (!DEFINITIONS.equals(descriptions)) {
            addDictionary();
        }
        UaFolderNode structures = namespace.folder("Structures", "Structures");
        structures.addReference(new Reference(structures.getNodeId(), Identifiers.Organizes,
            Identifiers.ObjectsFolder.expanded(), false));
        UaObjectNode machine = namespace.object("Structures/Machine01", "Machine01");
        PlantNamespace.link(structures, Identifiers.Organizes, machine);
        addMotor(machine);
        String path = "Structures/Machine01/";
        variable(machine, path + "IdleMotor", "IdleMotor", "Motor",
            k -> StructureValues.motor(type("Motor"), k, 11, false));
        variable(machine, path + "Reading", "Reading", "Reading", k -> StructureValues.reading(type("Reading"), k, 0));
        component(machine, path + "Readings", "Readings", model.typeId(type("Reading")), Kind.ONE_DIMENSION,
            Identifiers.BaseDataVariableType, () -> values.value(k -> new ExtensionObject[] {
                encode("Reading", StructureValues.reading(type("Reading"), k, 0)),
                encode("Reading", StructureValues.reading(type("Reading"), k, 1)),
                encode("Reading", StructureValues.reading(type("Reading"), k, 2))}));
        variable(machine, path + "Broken", "Broken", "BrokenType",
            k -> StructureValues.doubles(type("BrokenType"), k, 3));
        variable(machine, path + "Hostile", "Hostile", "HostileFields",
            k -> StructureValues.doubles(type("HostileFields"), k, 5));
        addServerStatus(machine, path + "ServerStatus");
        addBlocks(structures, blocks);
        addSessionDiagnostics();
    }

    /** Adds a Double field to {@code typeName}: its definition, dictionary and values change at once. */
    void extend(String typeName, String field) {
        synchronized (types) {
            Type type = types.get(typeName);
            if (type == null || type.kind() == StructureModel.Kind.ENUMERATION) {
                throw new IllegalArgumentException("no structure type " + typeName + " in " + PlantServer.NAMESPACE_URI);
            }
            types.put(typeName, type.plus(field));
        }
    }

    private Type type(String name) {
        synchronized (types) {
            return types.get(name);
        }
    }

    private void addType(Type original) {
        String name = original.name();
        DescribedDataTypeNode node = new DescribedDataTypeNode(namespace.nodeContext(), model.typeId(original),
            namespace.browseName(name), namespace.displayName(name),
            DICTIONARY.equals(descriptions) ? null : () -> model.definition(type(name)), serialization);
        namespace.nodes().addNode(node);
        node.addReference(new Reference(node.getNodeId(), Identifiers.HasSubtype,
            StructureModel.supertype(original).expanded(), false));
        if (original.kind() == StructureModel.Kind.ENUMERATION) {
            return;
        }
        UaObjectNode encoding = new UaObjectNode(namespace.nodeContext(), model.encodingId(original),
            new QualifiedName(0, "Default Binary"), LocalizedText.english("Default Binary"));
        namespace.nodes().addNode(encoding);
        namespace.typeDefinition(encoding, Identifiers.DataTypeEncodingType);
        node.addReference(new Reference(node.getNodeId(), Identifiers.HasEncoding, encoding.getNodeId().expanded(), true));
    }

    private void addDictionary() {
        UaVariableNode dictionary = new ComputedVariableNode(namespace.nodeContext(), model.dictionaryId(),
            namespace.browseName("PlantTypes"), namespace.displayName("PlantTypes"), Identifiers.ByteString, -1,
            () -> new DataValue(new Variant(ByteString.of(dictionaryXml().getBytes(StandardCharsets.UTF_8)))),
            0.0);
        namespace.nodes().addNode(dictionary);
        namespace.typeDefinition(dictionary, Identifiers.DataTypeDictionaryType);
        dictionary.addReference(new Reference(dictionary.getNodeId(), Identifiers.HasComponent,
            Identifiers.OPCBinarySchema_TypeSystem.expanded(), false));
        for (Type type : types.values()) {
            if (type.kind() == StructureModel.Kind.ENUMERATION) {
                continue;
            }
            UaVariableNode description = new ComputedVariableNode(namespace.nodeContext(),
                model.descriptionId(type), namespace.browseName(type.name()), namespace.displayName(type.name()),
                Identifiers.String, -1, () -> new DataValue(new Variant(type.name())), 0.0);
            namespace.nodes().addNode(description);
            namespace.typeDefinition(description, Identifiers.DataTypeDescriptionType);
            PlantNamespace.link(dictionary, Identifiers.HasComponent, description);
            namespace.nodes().getNode(model.encodingId(type)).ifPresent(encoding ->
                PlantNamespace.link(encoding, Identifiers.HasDescription, description));
        }
    }

    private String dictionaryXml() {
        synchronized (types) {
            return StructureDictionary.xml(PlantServer.NAMESPACE_URI, new ArrayList<>(types.values()));
        }
    }

    /** The Motor, with its Speed and Status shown as variables too (with engineering units), as many servers do. */
    private void addMotor(UaObjectNode machine) {
        String id = "Structures/Machine01/Motor";
        UaVariableNode motor = variable(machine, id, "Motor", "Motor",
            k -> StructureValues.motor(type("Motor"), k, 7, true));
        UaVariableNode speed = component(motor, id + "/Speed", "Speed", Identifiers.Double, () -> values.value(
            k -> (Double) StructureValues.motor(type("Motor"), k, 7, true).get("Speed")));
        namespace.unlistedProperty(speed, "EngineeringUnits", Identifiers.EUInformation, namespace.sharedValue(unit("RPM", "rpm")));
        UaVariableNode status = component(motor, id + "/Status", "Status", model.typeId(type("MotorStatus")),
            () -> values.value(k -> encode("MotorStatus", StructureValues.status(k, 7))));
        UaVariableNode current = component(status, id + "/Status/Current", "Current", Identifiers.Double,
            () -> values.value(k -> (Double) StructureValues.status(k, 7).get("Current")));
        namespace.unlistedProperty(current, "EngineeringUnits", Identifiers.EUInformation, namespace.sharedValue(unit("AMP", "A")));
    }

    private static EUInformation unit(String code, String name) {
        return new EUInformation(ValueModel.UNECE_NAMESPACE, ValueModel.uneceUnitId(code), new LocalizedText("", name),
            new LocalizedText("", name));
    }

    private void addServerStatus(UaObjectNode machine, String id) {
        component(machine, id, "ServerStatus", Identifiers.ServerStatusDataType, () -> values.value(
            k -> ExtensionObject.encode(serialization, new ServerStatusDataType(DateTime.MIN_VALUE, new DateTime(),
                ServerState.Running, new BuildInfo("urn:opcscraper", "OPC Scraper", "simulator", "1", String.valueOf(k),
                    DateTime.MIN_VALUE), UInteger.valueOf(k % 60), LocalizedText.NULL_VALUE))));
    }

    private void addBlocks(UaFolderNode structures, int blocks) {
        if (blocks <= 0) {
            return;
        }
        UaObjectNode parent = namespace.object("Structures/Blocks", "Blocks");
        PlantNamespace.link(structures, Identifiers.Organizes, parent);
        UaObjectNode group = null;
        for (int i = 0; i < blocks; i++) {
            if (i % BLOCKS_PER_GROUP == 0) {
                String name = String.format("Group%03d", i / BLOCKS_PER_GROUP + 1);
                group = namespace.object("Structures/Blocks/" + name, name);
                PlantNamespace.link(parent, Identifiers.Organizes, group);
            }
            String name = String.format("Block%05d", i + 1);
            int seed = ValueModel.seed(name);
            variable(group, group.getNodeId().getIdentifier() + "/" + name, name, "Block",
                k -> StructureValues.doubles(type("Block"), k, seed));
        }
    }

    /**
     * What open62541 shows of each session, in its own namespace: an object of
     * SessionDiagnosticsObjectType (named like open62541's) with a few variables, and a variable of
     * SubscriptionDiagnosticsType. A collector leaves them out by their type.
     */
    private void addSessionDiagnostics() {
        UaFolderNode diagnostics = namespace.folder("Diagnostics", "Diagnostics");
        diagnostics.addReference(new Reference(diagnostics.getNodeId(), Identifiers.Organizes,
            Identifiers.ObjectsFolder.expanded(), false));
        String sessionId = "Diagnostics/" + SESSION_OBJECT;
        UaObjectNode session = new UaObjectNode(namespace.nodeContext(), new NodeId(namespace.namespaceIndexValue(),
            sessionId), namespace.browseName(SESSION_OBJECT), namespace.displayName(SESSION_OBJECT));
        namespace.nodes().addNode(session);
        namespace.typeDefinition(session, Identifiers.SessionDiagnosticsObjectType);
        PlantNamespace.link(diagnostics, Identifiers.Organizes, session);
        component(session, sessionId + "/ActualSessionTimeout", "ActualSessionTimeout", Identifiers.Double,
            () -> values.value(k -> 120_000.0));
        component(session, sessionId + "/CurrentMonitoredItemsCount", "CurrentMonitoredItemsCount", Identifiers.UInt32,
            () -> values.value(k -> UInteger.valueOf(k % 100)));
        component(diagnostics, "Diagnostics/SubscriptionDiagnostics", "SubscriptionDiagnostics", Identifiers.Double, -1,
            Identifiers.SubscriptionDiagnosticsType, () -> values.value(k -> k * 1.0));
    }

    /** A variable of plant type {@code typeName} whose value is {@code value} of the period, encoded. */
    private UaVariableNode variable(UaNode parent, String id, String name, String typeName,
                                    LongFunction<Map<String, Object>> value) {
        return component(parent, id, name, model.typeId(type(typeName)), -1, Identifiers.BaseDataVariableType,
            () -> values.value(k -> encode(typeName, value.apply(k))));
    }

    private ExtensionObject encode(String typeName, Map<String, Object> value) {
        Type type = type(typeName);
        return new ExtensionObject(ByteString.of(StructureEncoder.encode(type, value)), model.encodingId(type));
    }

    private UaVariableNode component(UaNode parent, String id, String name, NodeId dataType, Supplier<DataValue> value) {
        return component(parent, id, name, dataType, -1, Identifiers.BaseDataVariableType, value);
    }

    private UaVariableNode component(UaNode parent, String id, String name, NodeId dataType, int valueRank,
                                     NodeId typeDefinition, Supplier<DataValue> value) {
        ComputedVariableNode node = new ComputedVariableNode(namespace.nodeContext(),
            new NodeId(namespace.namespaceIndexValue(), id), namespace.browseName(name), namespace.displayName(name),
            dataType, valueRank, value, minimumSamplingInterval);
        namespace.nodes().addNode(node);
        namespace.typeDefinition(node, typeDefinition);
        PlantNamespace.link(parent, Identifiers.HasComponent, node);
        return node;
    }
}
