package io.opcscraper.simulator;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.milo.opcua.binaryschema.GenericBsdParser;
import org.eclipse.milo.opcua.binaryschema.Struct;
import org.eclipse.milo.opcua.binaryschema.parser.DictionaryDescription;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.serialization.SerializationContext;
import org.eclipse.milo.opcua.stack.core.types.OpcUaBinaryDataTypeDictionary;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.StructureType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.simulator.internal.DefinitionCodecs;

/**
 * The plant's structure types as a client sees them: DataTypeDefinitions (attribute 23), the
 * dictionary, encodings linked to their descriptions, values Milo's own dictionary codec decodes,
 * a type changed at run time, and session diagnostics in the plant's namespace.
 */
class PlantStructuresTest {

    private static final String URI = PlantServer.NAMESPACE_URI;

    @TempDir
    Path pki;

    @Test
    void eachTypeHasADataTypeDefinitionAndADictionaryEntryThatMilosCodecDecodesTheValuesWith() throws Exception {
        try (PlantServer server = PlantServer.builder().tags(4).securityPolicies("None").start();
             MiloClients.Session session = MiloClients.connectAnonymous(server, pki)) {
            OpcUaClient client = session.client();
            int ns = server.namespaceIndex();
            StructureDefinition motor = (StructureDefinition) definition(client, new NodeId(ns, "DataTypes/Motor"));
            assertEquals(StructureType.StructureWithOptionalFields, motor.getStructureType());
            assertEquals(new NodeId(ns, "DataTypes/Motor/Default Binary"), motor.getDefaultEncodingId());
            assertEquals(List.of("Speed", "Status", "Axes", "Temperatures", "Torque", "Label", "Limits", "Note"),
                Arrays.stream(motor.getFields()).map(StructureField::getName).toList());
            assertEquals(List.of(false, false, false, false, true, false, false, false),
                Arrays.stream(motor.getFields()).map(StructureField::getIsOptional).toList());
            assertEquals(1, motor.getFields()[2].getValueRank(), "Axes is an array of Axis");
            assertEquals(new NodeId(ns, "DataTypes/Axis"), motor.getFields()[2].getDataType());
            assertEquals(Identifiers.Range, motor.getFields()[6].getDataType());
            assertInstanceOf(EnumDefinition.class, definition(client, new NodeId(ns, "DataTypes/MotorState")));
            assertEquals(StructureType.Union, ((StructureDefinition) definition(client,
                new NodeId(ns, "DataTypes/Reading"))).getStructureType());

            NodeId encoding = new NodeId(ns, "DataTypes/Motor/Default Binary");
            ReferenceDescription description = browse(client, encoding, Identifiers.HasDescription).get(0);
            assertEquals(new NodeId(ns, "DataTypes/PlantTypes/Motor"), description.getNodeId().toNodeId(
                client.getNamespaceTable()).orElseThrow());
            assertEquals("Motor", value(client, new NodeId(ns, "DataTypes/PlantTypes/Motor")).getValue().getValue());

            byte[] xml = ((ByteString) value(client, new NodeId(ns, "DataTypes/PlantTypes")).getValue().getValue())
                .bytesOrEmpty();
            Struct decoded = (Struct) decodeWithMilo(client, xml, ns, value(client,
                new NodeId(ns, "Structures/Machine01/Motor")));
            double speed = ((Number) decoded.getMember("Speed").getValue()).doubleValue();
            assertTrue(speed >= 1400 && speed <= 1500, "Speed " + speed);
            Struct status = (Struct) decoded.getMember("Status").getValue();
            assertTrue(((Number) status.getMember("State").getValue()).intValue() <= 2, status.toString());
            assertEquals(3, ((Object[]) decoded.getMember("Axes").getValue()).length);
            assertTrue(decoded.getMember("Label").getValue().toString().startsWith("Motor "), decoded.toString());
        }
    }

    @Test
    void aDictionaryOnlyServerHasNoDataTypeDefinitionAndADefinitionsOnlyServerNoDictionary() throws Exception {
        try (PlantServer server = PlantServer.builder().tags(4).securityPolicies("None")
                 .structureDescriptions("dictionary").start();
             MiloClients.Session session = MiloClients.connectAnonymous(server, pki)) {
            DataValue definition = attribute23(session.client(), new NodeId(server.namespaceIndex(), "DataTypes/Motor"));
            assertEquals(StatusCodes.Bad_AttributeIdInvalid, definition.getStatusCode().getValue());
        }
        try (PlantServer server = PlantServer.builder().tags(4).securityPolicies("None")
                 .structureDescriptions("definitions").start();
             MiloClients.Session session = MiloClients.connectAnonymous(server, pki)) {
            int ns = server.namespaceIndex();
            assertEquals(List.of(), browse(session.client(), new NodeId(ns, "DataTypes/Motor/Default Binary"),
                Identifiers.HasDescription));
            assertEquals(StatusCodes.Bad_NodeIdUnknown, value(session.client(), new NodeId(ns, "DataTypes/PlantTypes"))
                .getStatusCode().getValue());
        }
    }

    @Test
    void aTypeExtendedAtRunTimeChangesItsDefinitionItsDictionaryAndItsValues() throws Exception {
        try (PlantServer server = PlantServer.builder().tags(4).structureBlocks(3).securityPolicies("None").start();
             MiloClients.Session session = MiloClients.connectAnonymous(server, pki)) {
            OpcUaClient client = session.client();
            int ns = server.namespaceIndex();
            NodeId block = new NodeId(ns, "Structures/Blocks/Group001/Block00002");
            int before = body(value(client, block)).length;
            assertEquals(5 * 8, before, "five Doubles");
            server.extendStructureType("Block", "F6");
            assertEquals(6, ((StructureDefinition) definition(client, new NodeId(ns, "DataTypes/Block"))).getFields().length);
            String xml = new String(((ByteString) value(client, new NodeId(ns, "DataTypes/PlantTypes")).getValue()
                .getValue()).bytesOrEmpty(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<opc:Field Name=\"F6\" TypeName=\"opc:Double\"/>"), xml);
            assertEquals(6 * 8, body(value(client, block)).length);
        }
    }

    @Test
    void sessionDiagnosticsLiveInThePlantNamespaceWithTheirStandardTypes() throws Exception {
        try (PlantServer server = PlantServer.builder().tags(4).securityPolicies("None").start();
             MiloClients.Session session = MiloClients.connectAnonymous(server, pki)) {
            List<ReferenceDescription> objects = browse(session.client(),
                new NodeId(server.namespaceIndex(), "Diagnostics"), Identifiers.HierarchicalReferences);
            ReferenceDescription sessionObject = objects.stream()
                .filter(r -> r.getBrowseName().getName().startsWith("UaSession:")).findFirst().orElseThrow();
            assertTrue(sessionObject.getTypeDefinition().equalTo(Identifiers.SessionDiagnosticsObjectType));
            assertTrue(objects.stream().anyMatch(r -> r.getTypeDefinition().equalTo(Identifiers.SubscriptionDiagnosticsType)));
        }
    }

    private static Object decodeWithMilo(OpcUaClient client, byte[] xml, int ns, DataValue value) throws Exception {
        DictionaryDescription parsed = new GenericBsdParser().parse(new ByteArrayInputStream(xml));
        assertEquals(URI, parsed.getNamespaceUri());
        OpcUaBinaryDataTypeDictionary dictionary = new OpcUaBinaryDataTypeDictionary(URI);
        parsed.getEnumCodecs().forEach(c -> dictionary.registerEnumCodec(c.getCodec(), c.getDescription()));
        parsed.getStructCodecs().forEach(c -> dictionary.registerStructCodec(c.getCodec(), c.getDescription(),
            new NodeId(ns, "DataTypes/" + c.getDescription()), new NodeId(ns, "DataTypes/" + c.getDescription()
                + "/Default Binary")));
        SerializationContext context = DefinitionCodecs.context(client.getNamespaceTable());
        context.getDataTypeManager().registerTypeDictionary(dictionary);
        ExtensionObject xo = (ExtensionObject) value.getValue().getValue();
        return new ExtensionObject((ByteString) xo.getBody(), xo.getEncodingId()).decode(context);
    }

    private static byte[] body(DataValue value) {
        return ((ByteString) ((ExtensionObject) value.getValue().getValue()).getBody()).bytesOrEmpty();
    }

    /** The DataTypeDefinition attribute, decoded with Milo's codecs (registered here: see DefinitionCodecs). */
    private static Object definition(OpcUaClient client, NodeId type) throws Exception {
        DataValue value = attribute23(client, type);
        assertTrue(value.getStatusCode().isGood(), () -> type + ": " + value.getStatusCode());
        return ((ExtensionObject) value.getValue().getValue()).decode(DefinitionCodecs.context(client.getNamespaceTable()));
    }

    private static DataValue attribute23(OpcUaClient client, NodeId type) throws Exception {
        return client.read(0, TimestampsToReturn.Neither, List.of(new ReadValueId(type, uint(23), null,
            QualifiedName.NULL_VALUE))).get(10, SECONDS).getResults()[0];
    }

    private static DataValue value(OpcUaClient client, NodeId node) throws Exception {
        return client.readValue(0, TimestampsToReturn.Both, node).get(10, SECONDS);
    }

    private static List<ReferenceDescription> browse(OpcUaClient client, NodeId node, NodeId reference)
        throws Exception {
        BrowseResult result = client.browse(new BrowseDescription(node, BrowseDirection.Forward, reference, true,
            uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue()), uint(BrowseResultMask.All.getValue())))
            .get(10, SECONDS);
        assertTrue(result.getStatusCode().isGood(), () -> node + ": " + result.getStatusCode());
        return result.getReferences() == null ? List.of() : List.of(result.getReferences());
    }
}
