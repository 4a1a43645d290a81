package io.opcscraper.opcua.internal.structure;

import static io.opcscraper.opcua.internal.structure.TestTypes.DICTIONARY;
import static io.opcscraper.opcua.internal.structure.TestTypes.MOTOR;
import static io.opcscraper.opcua.internal.structure.TestTypes.MOTOR_ENCODING;
import static io.opcscraper.opcua.internal.structure.TestTypes.READING;
import static io.opcscraper.opcua.internal.structure.TestTypes.READING_ENCODING;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ServerState;
import org.eclipse.milo.opcua.stack.core.types.enumerated.StructureType;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.stack.core.types.structured.Range;
import org.eclipse.milo.opcua.stack.core.types.structured.ServerStatusDataType;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.opcscraper.api.CatalogField;

/** Layouts from DataTypeDefinitions, from dictionaries and from the OPC UA dictionary, and what they decode. */
class TypeCompilerTest {

    private static BsdDictionary standard;

    @BeforeAll
    static void readTheStandardDictionary() throws Exception {
        standard = BsdDictionary.standard();
    }

    @Test
    void standardStructuresAreDecodedFromTheOpcUaDictionaryByTheSameRules() {
        StructureTypes types = compile(Set.of(Identifiers.Range, Identifiers.EUInformation,
                Identifiers.ServerStatusDataType), TestTypes.standard(), Map.of());
        assertEquals(Map.of(), types.failures());
        assertEquals(List.of("R.Low=-50.0", "R.High=150.0"), rows(types, new Range(-50.0, 150.0), "R"));
        assertEquals(List.of("EU.UnitId=4408652.0"), rows(types, new EUInformation("http://www.opcfoundation.org/UA/units/un/cefact",
                4408652, LocalizedText.english("°C"), LocalizedText.english("degree Celsius")), "EU"));
        ServerStatusDataType status = new ServerStatusDataType(DateTime.now(), DateTime.now(), ServerState.Shutdown,
                new BuildInfo("urn:p", "m", "p", "1.0", "7", DateTime.now()), uint(30), LocalizedText.english("bye"));
        assertEquals(List.of("S.State=4.0", "S.SecondsTillShutdown=30.0"), rows(types, status, "S"));
        assertEquals(List.of(new CatalogField(".State", "ServerState", null),
                new CatalogField(".SecondsTillShutdown", "UInt32", null)),
                types.fields(Identifiers.ServerStatusDataType, false, LeafFields.Units.NONE));
    }

    @Test
    void aDefinitionAndADictionaryOfTheSameTypeGiveTheSameRows() {
        StructureTypes byDefinition = compile(Set.of(MOTOR, READING), TestTypes.definitions(), Map.of());
        StructureTypes byDictionary = compile(Set.of(MOTOR, READING), TestTypes.dictionaryEntries(),
                Map.of(DICTIONARY, TestTypes.dictionaryBytes()));
        assertEquals(Map.of(), byDefinition.failures());
        assertEquals(Map.of(), byDictionary.failures());
        byte[] motor = MiloEncoding.encode(e -> {
            e.writeUInt32(uint(1)); // Torque present
            e.writeFloat(1450.5f);
            e.writeDouble(3.25); // Status.Current
            e.writeInt32(1); // Status.State
            e.writeInt32(2);
            e.writeDouble(60.0);
            e.writeDouble(61.5);
            e.writeDouble(12.0); // Torque
            e.writeDouble(0.0); // Limits.Low
            e.writeDouble(3000.0); // Limits.High
            e.writeLocalizedText(LocalizedText.english("M1"));
        });
        List<String> expected = List.of("M.Speed=1450.5", "M.Status.Current=3.25", "M.Status.State=1.0",
                "M.Temperatures[0]=60.0", "M.Temperatures[1]=61.5", "M.Torque=12.0", "M.Limits.Low=0.0",
                "M.Limits.High=3000.0");
        assertEquals(expected, rows(byDefinition, MOTOR_ENCODING, motor, "M"));
        assertEquals(expected, rows(byDictionary, MOTOR_ENCODING, motor, "M"));
        byte[] code = MiloEncoding.encode(e -> {
            e.writeUInt32(uint(2));
            e.writeInt32(-4);
        });
        assertEquals(List.of("R.Code=-4.0"), rows(byDefinition, READING_ENCODING, code, "R"));
        assertEquals(List.of("R.Code=-4.0"), rows(byDictionary, READING_ENCODING, code, "R"));

        List<String> paths = List.of(".Speed", ".Status.Current", ".Status.State", ".Temperatures[]", ".Torque",
                ".Limits.Low", ".Limits.High");
        assertEquals(paths, paths(byDefinition.fields(MOTOR, false, LeafFields.Units.NONE)));
        assertEquals(paths, paths(byDictionary.fields(MOTOR, false, LeafFields.Units.NONE)));
        assertEquals(List.of("Float", "Double", "nsu=urn:test:types;i=3003", "Double", "Double", "Double", "Double"),
                byDefinition.fields(MOTOR, false, LeafFields.Units.NONE).stream().map(CatalogField::dataType).toList());
        assertEquals(List.of("[].Level", "[].Code"), paths(byDefinition.fields(READING, true, LeafFields.Units.NONE)));
    }

    @Test
    void unitsComeFromTheLookupForPlainPathsOnly() {
        StructureTypes types = compile(Set.of(MOTOR), TestTypes.definitions(), Map.of());
        List<CatalogField> fields = types.fields(MOTOR, false,
                path -> path.equals(List.of("Status", "Current")) ? "A" : path.equals(List.of("Speed")) ? "rpm" : null);
        assertEquals("rpm", fields.get(0).engineeringUnit());
        assertEquals("A", fields.get(1).engineeringUnit());
        assertNull(fields.get(3).engineeringUnit(), "no unit for an array element");
    }

    @Test
    void aTypeThatCannotBeDecodedSaysWhyAndTheOthersStillAre() {
        Map<NodeId, TypeFacts> facts = TestTypes.definitions();
        NodeId broken = new NodeId(2, 3100);
        NodeId nowhere = new NodeId(2, 9999);
        facts.put(broken, new TypeFacts(broken, "Broken", false, Identifiers.Structure, new NodeId(2, 5100),
                new StructureDefinition(new NodeId(2, 5100), Identifiers.Structure, StructureType.Structure,
                        new StructureField[] {TestTypes.field("Ok", Identifiers.Double, -1, false),
                            TestTypes.field("Lost", nowhere, -1, false)}), null));
        NodeId custom = new NodeId(2, 3101);
        facts.put(custom, new TypeFacts(custom, "CustomEncoded", false, Identifiers.Structure, null, null, null));
        NodeId future = new NodeId(2, 3102);
        facts.put(future, new TypeFacts(future, "Subtyped", false, Identifiers.Structure, new NodeId(2, 5102),
                new StructureDefinition(new NodeId(2, 5102), Identifiers.Structure, null, new StructureField[0]), null));
        NodeId silent = new NodeId(2, 3103);
        facts.put(silent, new TypeFacts(silent, "Silent", false, Identifiers.Structure, new NodeId(2, 5103), null, null));
        StructureTypes types = compile(Set.of(MOTOR, broken, custom, future, silent), facts, Map.of());
        assertEquals(Map.of(
                "nsu=urn:test:types;i=3100", "field 'Lost': its data type nsu=urn:test:types;i=9999 is not one the server"
                        + " describes",
                "nsu=urn:test:types;i=3101", "it has no Default Binary encoding (only a custom one)",
                "nsu=urn:test:types;i=3102", "its StructureDefinition has a structure type this client does not support"
                        + " (a 1.05 structure with subtyped values?)",
                "nsu=urn:test:types;i=3103", "the server describes it neither with a DataTypeDefinition nor in a data"
                        + " type dictionary"), types.failures());
        assertEquals(StructureTypes.Outcome.TYPE_FAILED, types.decode(new NodeId(2, 5100), new byte[8],
                new StringBuilder(), (p, v) -> { }).outcome());
        assertTrue(types.fields(MOTOR, false, LeafFields.Units.NONE).size() > 0, "Motor is still decoded");
    }

    @Test
    void aDictionaryThatDoesNotParseIsSaidForEachTypeItDescribes() {
        StructureTypes types = compile(Set.of(MOTOR), TestTypes.dictionaryEntries(),
                Map.of(DICTIONARY, "<opc:TypeDictionary xmlns:opc=\"x\"><unclosed>".getBytes(StandardCharsets.UTF_8)));
        String reason = types.failures().get("nsu=urn:test:types;i=3001");
        assertTrue(reason.startsWith("its data type dictionary nsu=urn:test:types;i=6000 cannot be used: it does not"
                + " parse: "), reason);
    }

    @Test
    void aDictionaryWithADocumentTypeIsRefusedBeforeAnyEntityIsRead() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + TestTypes.DICTIONARY_XML.substring(TestTypes.DICTIONARY_XML.indexOf("<opc:TypeDictionary"))
                        .replace("<opc:Field Name=\"Current\" TypeName=\"opc:Double\"/>",
                                "<opc:Field Name=\"&x;\" TypeName=\"opc:Double\"/>");
        StructureTypes types = compile(Set.of(MOTOR), TestTypes.dictionaryEntries(),
                Map.of(DICTIONARY, xxe.getBytes(StandardCharsets.UTF_8)));
        assertEquals("its data type dictionary nsu=urn:test:types;i=6000 cannot be used: it declares a document type,"
                + " which a data type dictionary has no use for", types.failures().get("nsu=urn:test:types;i=3001"));
    }

    @Test
    void dictionaryFeaturesTheDecoderLacksFailTheirTypeWithTheReason() {
        String lengthInBytes = TestTypes.DICTIONARY_XML.replace("LengthField=\"NoOfTemperatures\"",
                "LengthField=\"NoOfTemperatures\" IsLengthInBytes=\"true\"");
        assertEquals("field 'Temperatures' has IsLengthInBytes, which is not supported",
                compile(Set.of(MOTOR), TestTypes.dictionaryEntries(), Map.of(DICTIONARY,
                        lengthInBytes.getBytes(StandardCharsets.UTF_8))).failures().get("nsu=urn:test:types;i=3001"));
        String opaque = TestTypes.DICTIONARY_XML.replace("TypeName=\"ua:LocalizedText\"", "TypeName=\"tns:Blob\"")
                .replace("<opc:StructuredType Name=\"Reading\"", "<opc:OpaqueType Name=\"Blob\"/><opc:StructuredType Name=\"Reading\"");
        assertTrue(compile(Set.of(MOTOR), TestTypes.dictionaryEntries(), Map.of(DICTIONARY,
                opaque.getBytes(StandardCharsets.UTF_8))).failures().get("nsu=urn:test:types;i=3001")
                .contains("field 'Label' has the type Blob, which dictionary urn:test:types does not describe"));
    }

    @Test
    void theLayoutsOfOneCatalogAreBoundedInBytes() {
        Map<NodeId, TypeFacts> facts = TestTypes.definitions();
        StructureTypes types = TypeCompiler.compile(Set.of(MOTOR, READING), facts, Map.of(), standard,
                TestTypes::name, new String[0], 1500);
        assertTrue(types.estimatedBytes() > 1500, "what was compiled is counted: " + types.estimatedBytes());
        assertTrue(types.failures().values().stream().anyMatch(r -> r.contains("would take more than")),
                types.failures().toString());
    }

    @Test
    void aTypeThatContainsItselfIsListedOnceInTheCatalog() {
        Map<NodeId, TypeFacts> facts = TestTypes.definitions();
        NodeId tree = new NodeId(2, 3200);
        facts.put(tree, new TypeFacts(tree, "Tree", false, Identifiers.Structure, new NodeId(2, 5200),
                new StructureDefinition(new NodeId(2, 5200), Identifiers.Structure, StructureType.Structure,
                        new StructureField[] {TestTypes.field("Value", Identifiers.Duration, -1, false),
                            TestTypes.field("Children", tree, 1, false)}), null));
        StructureTypes types = compile(Set.of(tree), facts, Map.of());
        assertEquals(List.of(new CatalogField(".Value", "Double", null)),
                types.fields(tree, false, LeafFields.Units.NONE));
        byte[] twoLevels = MiloEncoding.encode(e -> {
            e.writeDouble(1.0);
            e.writeInt32(1);
            e.writeDouble(2.0);
            e.writeInt32(0);
        });
        assertEquals(List.of("T.Value=1.0", "T.Children[0].Value=2.0"), rows(types, new NodeId(2, 5200), twoLevels, "T"));
    }

    static StructureTypes compile(Set<NodeId> wanted, Map<NodeId, TypeFacts> facts, Map<NodeId, byte[]> xml) {
        Map<NodeId, Object> dictionaries = new HashMap<>();
        xml.forEach((id, bytes) -> {
            try {
                dictionaries.put(id, BsdDictionary.parse(bytes));
            } catch (BsdDictionary.DictionaryException e) {
                dictionaries.put(id, e);
            }
        });
        return TypeCompiler.compile(wanted, facts, dictionaries, standard, TestTypes::name, new String[0],
                StructureTypes.MAX_BYTES);
    }

    private static List<String> rows(StructureTypes types, Object standardValue, String tag) {
        ExtensionObject xo = ExtensionObject.encode(MiloEncoding.CONTEXT, standardValue,
                standardValue instanceof Range ? Identifiers.Range_Encoding_DefaultBinary
                        : standardValue instanceof EUInformation ? Identifiers.EUInformation_Encoding_DefaultBinary
                                : Identifiers.ServerStatusDataType_Encoding_DefaultBinary,
                org.eclipse.milo.opcua.stack.core.types.OpcUaDefaultBinaryEncoding.getInstance());
        return rows(types, xo.getEncodingId(), ((org.eclipse.milo.opcua.stack.core.types.builtin.ByteString) xo.getBody())
                .bytesOrEmpty(), tag);
    }

    static List<String> rows(StructureTypes types, NodeId encoding, byte[] body, String tag) {
        List<String> rows = new ArrayList<>();
        StructureTypes.Decoded decoded = types.decode(encoding, body, new StringBuilder(tag),
                (p, v) -> rows.add(p + "=" + v));
        assertEquals(StructureTypes.Outcome.DECODED, decoded.outcome(), String.valueOf(decoded));
        return rows;
    }

    private static List<String> paths(List<CatalogField> fields) {
        return fields.stream().map(CatalogField::path).toList();
    }
}
