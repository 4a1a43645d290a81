package io.opcscraper.simulator.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.DataItem;
import org.eclipse.milo.opcua.sdk.server.api.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.api.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.api.services.AttributeHistoryServices.HistoryReadContext;
import org.eclipse.milo.opcua.sdk.server.UaNodeManager;
import org.eclipse.milo.opcua.sdk.server.api.services.AttributeServices.ReadContext;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNodeContext;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

import io.opcscraper.simulator.PlantServer;

/**
 * The plant namespace: Plant / Line / Machine / Sensor / variables, Plant/Types, Plant/Hostile.
 * Node ids are strings equal to the browse path below the Objects folder.
 *
 * <p>Memory: display names and browse names are shared between nodes of the same name, property
 * values are shared, and HasTypeDefinition references are stored forward only (Milo's
 * {@code UaNode.addReference} would also store the inverse under the type node, one entry per
 * instance in a single multiset).
 */
final class PlantNamespace extends ManagedNamespaceWithLifecycle {

    static final String PLANT = "Plant";
    static final int VARIABLES_PER_SENSOR = 4;
    static final int SENSORS_PER_MACHINE = 10;
    static final int MACHINES_PER_LINE = 10;

    private static final String[] SENSOR_VARIABLES = {"Temperature", "Pressure", "Running", "Count"};
    private static final Kind[] SENSOR_KINDS = {Kind.TEMPERATURE, Kind.PRESSURE, Kind.RUNNING, Kind.COUNT};

    /** Plant/Types: browse name and kind, in address-space order. */
    private static final Object[][] TYPES = {
        {"Boolean", Kind.BOOLEAN}, {"SByte", Kind.SBYTE}, {"Byte", Kind.BYTE}, {"Int16", Kind.INT16},
        {"UInt16", Kind.UINT16}, {"Int32", Kind.INT32}, {"UInt32", Kind.UINT32}, {"Int64", Kind.INT64},
        {"UInt64", Kind.UINT64}, {"Float", Kind.FLOAT}, {"Double", Kind.DOUBLE}, {"String", Kind.STRING},
        {"DateTime", Kind.DATE_TIME}, {"Guid", Kind.GUID}, {"ByteString", Kind.BYTE_STRING},
        {"XmlElement", Kind.XML_ELEMENT}, {"NodeId", Kind.NODE_ID}, {"ExpandedNodeId", Kind.EXPANDED_NODE_ID},
        {"StatusCode", Kind.STATUS_CODE}, {"QualifiedName", Kind.QUALIFIED_NAME},
        {"LocalizedText", Kind.LOCALIZED_TEXT}, {"Range", Kind.RANGE}, {"EUInformation", Kind.EU_INFORMATION},
        {"DoubleArray", Kind.DOUBLE_ARRAY}, {"Int32Array", Kind.INT32_ARRAY},
        {"BooleanArray", Kind.BOOLEAN_ARRAY}, {"StringArray", Kind.STRING_ARRAY},
        {"NaN", Kind.NAN}, {"PosInf", Kind.POS_INF}, {"NegInf", Kind.NEG_INF},
        {"BadSensor", Kind.BAD_SENSOR}, {"Removable", Kind.REMOVABLE},
    };

    /** Plant/Hostile: browse names that break naive SQL, CSV, format strings and path handling. */
    static final List<String> HOSTILE_NAMES = List.of(
        longName(300),
        "Robert'); DROP TABLE sensor_data;--",
        "\"quoted\"",
        "Format %s %d {} ${x} $1 \\ back\\slash",
        "Ünïcødé 温度 °C ✓",
        "Slash/InName");

    private final SimulatorConfig config;
    private final AlignedSampling sampling;
    private final ValueModel model;
    private final int namespaceIndex;
    private final double minimumSamplingInterval;
    private final LongAdder valuesServed = new LongAdder();
    /** The sensor variables' history, or null when they are not historizing. */
    private final PlantHistory history;
    private final StructureNodes structures;

    /** The variables (by identifier) / identifiers of the properties that exist now, in address-space order. */
    private final Map<String, DynamicVariableNode> variables = new LinkedHashMap<>();
    private final Set<String> propertyIds = new LinkedHashSet<>();

    /**
     * Value changes counted so far (guarded by {@link #variables}), up to and including period
     * {@link #countedPeriod}; counting starts when the address space is complete.
     */
    private long valueChanges;
    private long countedPeriod = Long.MAX_VALUE;

    /** Build-time caches so that equal names share one QualifiedName / LocalizedText. */
    private final Map<String, QualifiedName> browseNames = new HashMap<>();
    private final Map<String, LocalizedText> displayNames = new HashMap<>();

    PlantNamespace(OpcUaServer server, SimulatorConfig config) {
        super(server, PlantServer.NAMESPACE_URI);
        this.config = config;
        this.namespaceIndex = getNamespaceIndex().intValue();
        this.model = new ValueModel(config.changeRateHz(), System::currentTimeMillis, namespaceIndex,
            PlantServer.NAMESPACE_URI, server.getSerializationContext());
        this.minimumSamplingInterval = Math.max(Simulator.MIN_SAMPLING_INTERVAL_MS,
            500.0 / config.changeRateHz());
        this.history = config.history().on() ? new PlantHistory(model, config.changeRateHz(),
            System::currentTimeMillis, config.history(), server.getSerializationContext()) : null;
        sampling = new AlignedSampling(server, this, 1000.0 / config.changeRateHz());
        structures = new StructureNodes(this, model, server.getSerializationContext(), config.structureDescriptions(),
            minimumSamplingInterval);
        getLifecycleManager().addLifecycle(sampling);
        getLifecycleManager().addStartupTask(this::addNodes);
    }

    /** The history of the sensor variables, or null when they are not historizing. */
    PlantHistory history() {
        return history;
    }

    int namespaceIndexValue() {
        return namespaceIndex;
    }

    long valuesServed() {
        return valuesServed.sum();
    }

    List<String> variableIds() {
        synchronized (variables) {
            return new ArrayList<>(variables.keySet());
        }
    }

    int variableCount() {
        synchronized (variables) {
            return variables.size();
        }
    }

    List<String> propertyIds() {
        synchronized (variables) {
            return new ArrayList<>(propertyIds);
        }
    }

    /**
     * @return how many times the value of a variable changed since the address space was complete,
     *     summed over the variables (a removed variable keeps the changes it had until its removal);
     *     see {@link ValueModel#changes}. Computed from the clock on each call (no update thread): the
     *     cost is one pass over the variables per call, plus the Running blocks passed since the last call.
     */
    long valueChanges() {
        synchronized (variables) {
            countChanges();
            return valueChanges;
        }
    }

    /** Brings {@link #valueChanges} up to the current period; holds the lock of {@link #variables}. */
    private void countChanges() {
        long now = model.period();
        if (now <= countedPeriod) {
            return;
        }
        double hz = config.changeRateHz();
        long from = countedPeriod;
        long n = 0;
        for (DynamicVariableNode variable : variables.values()) {
            n += ValueModel.changes(variable.kind(), variable.seed(), from, now, hz);
        }
        valueChanges += n;
        countedPeriod = now;
    }

    /**
     * Removes the variable with string identifier {@code id} and its properties.
     *
     * @throws IllegalArgumentException if no such variable exists (any more)
     */
    void removeVariable(String id) {
        synchronized (variables) {
            if (!variables.containsKey(id)) {
                throw new IllegalArgumentException("no variable " + id + " in " + PlantServer.NAMESPACE_URI);
            }
            countChanges();
            variables.remove(id);
            propertyIds.removeIf(p -> p.startsWith(id + "/") && p.indexOf('/', id.length() + 1) < 0);
        }
        // UaNode.delete() removes the node, its HasChild children (the properties) and every
        // reference in both directions (the parent's HasComponent included).
        getNodeManager().getNode(new NodeId(namespaceIndex, id)).ifPresent(UaNode::delete);
    }

    /**
     * The variable with string identifier {@code id} stops being historizing: no HistoryRead access,
     * Historizing = false, HistoryRead answers Bad_HistoryOperationUnsupported.
     *
     * @throws IllegalArgumentException if no such variable exists or it is not historizing
     */
    void stopHistorizing(String id) {
        DynamicVariableNode variable;
        synchronized (variables) {
            variable = variables.get(id);
        }
        if (variable == null || !variable.historizing()) {
            throw new IllegalArgumentException("no historizing variable " + id + " in " + PlantServer.NAMESPACE_URI);
        }
        variable.stopHistorizing();
    }

    /** HistoryRead of the historizing variables ({@link PlantHistory}); the others have none. */
    @Override
    public void historyRead(HistoryReadContext context, HistoryReadDetails details, TimestampsToReturn timestamps,
                            List<HistoryReadValueId> readValueIds) {
        if (history == null) {
            super.historyRead(context, details, timestamps, readValueIds);
            return;
        }
        NodeId session = context.getSession().map(Session::getSessionId).orElse(NodeId.NULL_VALUE);
        context.success(history.read(session, details, timestamps, readValueIds, this::historyVariable));
    }

    private PlantHistory.Variable historyVariable(NodeId nodeId) {
        if (nodeId.getNamespaceIndex().intValue() != namespaceIndex || !(nodeId.getIdentifier() instanceof String id)) {
            return null;
        }
        synchronized (variables) {
            return variables.get(id);
        }
    }

    /** Milo's node context, for {@link StructureNodes} (Milo keeps it protected). */
    UaNodeContext nodeContext() {
        return getNodeContext();
    }

    /** Milo's node manager of this namespace, for {@link StructureNodes}. */
    UaNodeManager nodes() {
        return getNodeManager();
    }

    /** Adds a Double field at the end of structure type {@code typeName}: see {@link StructureNodes#extend}. */
    void extendStructureType(String typeName, String field) {
        structures.extend(typeName, field);
    }

    /** Counts the Value attributes produced: Read service and subscription sampling both come here. */
    @Override
    public void read(ReadContext context, Double maxAge, TimestampsToReturn timestamps,
                     List<ReadValueId> readValueIds) {
        long values = 0;
        for (ReadValueId readValueId : readValueIds) {
            if (AttributeId.Value.isEqual(readValueId.getAttributeId())
                && getNodeManager().containsNode(readValueId.getNodeId())) {
                values++;
            }
        }
        valuesServed.add(values);
        super.read(context, maxAge, timestamps, readValueIds);
    }

    // ----- address space -----

    private void addNodes() {
        UaFolderNode plant = folder(PLANT, PLANT);
        // Objects --Organizes--> Plant (stored as the inverse from Plant, plus its forward twin).
        plant.addReference(new Reference(plant.getNodeId(), Identifiers.Organizes,
            Identifiers.ObjectsFolder.expanded(), false));

        addSensors(plant);
        addTypes(plant);
        addHostile(plant);
        structures.add(config.structureBlocks());

        synchronized (variables) {
            countedPeriod = model.period();
        }
        browseNames.clear();
        displayNames.clear();
    }

    private void addSensors(UaFolderNode plant) {
        int tags = config.tags();
        int sensors = ceilDiv(tags, VARIABLES_PER_SENSOR);
        int machines = ceilDiv(sensors, SENSORS_PER_MACHINE);
        int lines = ceilDiv(machines, MACHINES_PER_LINE);
        int tag = 0;
        int sensor = 0;
        int machine = 0;
        for (int l = 1; l <= lines; l++) {
            String lineName = "Line" + twoDigits(l);
            String linePath = PLANT + "/" + lineName;
            UaFolderNode line = folder(linePath, lineName);
            link(plant, Identifiers.Organizes, line);
            for (int m = 1; m <= MACHINES_PER_LINE && machine < machines; m++, machine++) {
                String machineName = "Machine" + twoDigits(m);
                String machinePath = linePath + "/" + machineName;
                UaObjectNode machineNode = object(machinePath, machineName);
                link(line, Identifiers.Organizes, machineNode);
                for (int s = 1; s <= SENSORS_PER_MACHINE && sensor < sensors; s++, sensor++) {
                    String sensorName = "Sensor" + twoDigits(s);
                    String sensorPath = machinePath + "/" + sensorName;
                    UaObjectNode sensorNode = object(sensorPath, sensorName);
                    link(machineNode, Identifiers.HasComponent, sensorNode);
                    for (int v = 0; v < VARIABLES_PER_SENSOR && tag < tags; v++, tag++) {
                        String name = SENSOR_VARIABLES[v];
                        Kind kind = SENSOR_KINDS[v];
                        UaVariableNode variable = variable(sensorNode, sensorPath + "/" + name, name, kind,
                            history != null);
                        if (kind == Kind.TEMPERATURE) {
                            analogProperties(variable, ValueModel.TEMPERATURE_RANGE, ValueModel.CELSIUS);
                        } else if (kind == Kind.PRESSURE) {
                            analogProperties(variable, ValueModel.PRESSURE_RANGE, ValueModel.BAR);
                        }
                    }
                }
            }
        }
    }

    private void addTypes(UaFolderNode plant) {
        String typesPath = PLANT + "/Types";
        UaObjectNode types = object(typesPath, "Types");
        link(plant, Identifiers.Organizes, types);
        for (Object[] entry : TYPES) {
            String name = (String) entry[0];
            variable(types, typesPath + "/" + name, name, (Kind) entry[1], false);
        }
    }

    private void addHostile(UaFolderNode plant) {
        String hostilePath = PLANT + "/Hostile";
        UaObjectNode hostile = object(hostilePath, "Hostile");
        link(plant, Identifiers.Organizes, hostile);
        for (String name : HOSTILE_NAMES) {
            variable(hostile, hostilePath + "/" + name, name, Kind.HOSTILE_DOUBLE, false);
        }
        variable(hostile, hostilePath + "/Huge", "Huge", Kind.HUGE_ARRAY, false);
    }

    UaFolderNode folder(String id, String name) {
        // UaFolderNode adds its HasTypeDefinition FolderType itself (both directions; few folders).
        UaFolderNode folder = new UaFolderNode(getNodeContext(), new NodeId(namespaceIndex, id),
            browseName(name), displayName(name));
        getNodeManager().addNode(folder);
        return folder;
    }

    UaObjectNode object(String id, String name) {
        UaObjectNode object = new UaObjectNode(getNodeContext(), new NodeId(namespaceIndex, id),
            browseName(name), displayName(name));
        getNodeManager().addNode(object);
        typeDefinition(object, Identifiers.BaseObjectType);
        return object;
    }

    private DynamicVariableNode variable(UaNode parent, String id, String name, Kind kind, boolean historizing) {
        DynamicVariableNode variable = new DynamicVariableNode(getNodeContext(), new NodeId(namespaceIndex, id),
            browseName(name), displayName(name), kind, model, minimumSamplingInterval, historizing);
        getNodeManager().addNode(variable);
        typeDefinition(variable, kind == Kind.TEMPERATURE || kind == Kind.PRESSURE
            ? Identifiers.AnalogItemType : Identifiers.BaseDataVariableType);
        link(parent, Identifiers.HasComponent, variable);
        synchronized (variables) {
            variables.put(id, variable);
        }
        return variable;
    }

    /** The AnalogItemType properties: EURange (mandatory) and EngineeringUnits, static values. */
    private void analogProperties(UaVariableNode variable, Object range, Object units) {
        property(variable, "EURange", Identifiers.Range, sharedValue(range));
        property(variable, "EngineeringUnits", Identifiers.EUInformation, sharedValue(units));
    }

    private final Map<Object, DataValue> sharedValues = new HashMap<>();

    DataValue sharedValue(Object structure) {
        return sharedValues.computeIfAbsent(structure,
            s -> new DataValue(new Variant(model.encode(s)), StatusCode.GOOD, null, null));
    }

    private void property(UaVariableNode variable, String name, NodeId dataType, DataValue value) {
        String id = unlistedProperty(variable, name, dataType, value);
        synchronized (variables) {
            propertyIds.add(id);
        }
    }

    /** A property {@link #propertyIds()} does not list (those of the structure variables); returns its id. */
    String unlistedProperty(UaVariableNode variable, String name, NodeId dataType, DataValue value) {
        String id = variable.getNodeId().getIdentifier() + "/" + name;
        // Properties of standard types have browse names in namespace 0.
        UaVariableNode property = new UaVariableNode(getNodeContext(), new NodeId(namespaceIndex, id),
            propertyName(name), displayName(name), LocalizedText.NULL_VALUE, UInteger.MIN, UInteger.MIN,
            value, dataType, Kind.SCALAR, null, DynamicVariableNode.READ_ONLY, DynamicVariableNode.READ_ONLY,
            0.0, false);
        getNodeManager().addNode(property);
        typeDefinition(property, Identifiers.PropertyType);
        link(variable, Identifiers.HasProperty, property);
        return id;
    }

    /** Adds {@code parent --type--> child} and its inverse. */
    static void link(UaNode parent, NodeId referenceType, UaNode child) {
        parent.addReference(new Reference(parent.getNodeId(), referenceType, child.getNodeId().expanded(), true));
    }

    /** Forward only: see the class comment. */
    void typeDefinition(UaNode node, NodeId type) {
        getNodeManager().addReference(new Reference(node.getNodeId(), Identifiers.HasTypeDefinition,
            type.expanded(), true));
    }

    QualifiedName browseName(String name) {
        return browseNames.computeIfAbsent(name, n -> new QualifiedName(namespaceIndex, n));
    }

    private QualifiedName propertyName(String name) {
        return browseNames.computeIfAbsent("0:" + name, n -> new QualifiedName(0, name));
    }

    LocalizedText displayName(String name) {
        return displayNames.computeIfAbsent(name, n -> new LocalizedText(n));
    }

    static String twoDigits(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static String longName(int length) {
        StringBuilder name = new StringBuilder("VeryLongName_");
        for (int i = 0; name.length() < length; i++) {
            name.append((char) ('a' + i % 26));
        }
        return name.substring(0, length);
    }

    // ----- subscriptions: sampled through read() at wall-clock slots (AlignedSampling) -----

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        sampling.onDataItemsCreated(dataItems);
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        sampling.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        sampling.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        sampling.onMonitoringModeChanged();
    }
}
