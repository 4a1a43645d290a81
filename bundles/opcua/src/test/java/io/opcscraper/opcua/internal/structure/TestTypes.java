package io.opcscraper.opcua.internal.structure;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.StructureType;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumField;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureField;

/**
 * One set of custom types described twice, as a 1.04 server (DataTypeDefinitions) and as a 1.03
 * server (a dictionary) would: Motor (optional Torque, a nested MotorStatus with an enumeration,
 * an array, a standard Range, a LocalizedText) and the union Reading.
 */
final class TestTypes {

    static final String URI = "urn:test:types";
    static final NodeId MOTOR = new NodeId(2, 3001);
    static final NodeId MOTOR_STATUS = new NodeId(2, 3002);
    static final NodeId MOTOR_STATE = new NodeId(2, 3003);
    static final NodeId READING = new NodeId(2, 3004);
    static final NodeId MOTOR_ENCODING = new NodeId(2, 5001);
    static final NodeId MOTOR_STATUS_ENCODING = new NodeId(2, 5002);
    static final NodeId READING_ENCODING = new NodeId(2, 5004);
    static final NodeId DICTIONARY = new NodeId(2, 6000);

    static final String DICTIONARY_XML = """
            <?xml version="1.0" encoding="utf-8"?>
            <opc:TypeDictionary xmlns:opc="http://opcfoundation.org/BinarySchema/"
                xmlns:ua="http://opcfoundation.org/UA/" xmlns:tns="urn:test:types"
                DefaultByteOrder="LittleEndian" TargetNamespace="urn:test:types">
              <opc:Import Namespace="http://opcfoundation.org/UA/"/>
              <opc:EnumeratedType Name="MotorState" LengthInBits="32">
                <opc:EnumeratedValue Name="Off" Value="0"/>
                <opc:EnumeratedValue Name="On" Value="1"/>
              </opc:EnumeratedType>
              <opc:StructuredType Name="MotorStatus" BaseType="ua:ExtensionObject">
                <opc:Field Name="Current" TypeName="opc:Double"/>
                <opc:Field Name="State" TypeName="tns:MotorState"/>
              </opc:StructuredType>
              <opc:StructuredType Name="Motor" BaseType="ua:ExtensionObject">
                <opc:Field Name="TorqueSpecified" TypeName="opc:Bit"/>
                <opc:Field Name="Reserved1" TypeName="opc:Bit" Length="31"/>
                <opc:Field Name="Speed" TypeName="opc:Float"/>
                <opc:Field Name="Status" TypeName="tns:MotorStatus"/>
                <opc:Field Name="NoOfTemperatures" TypeName="opc:Int32"/>
                <opc:Field Name="Temperatures" TypeName="opc:Double" LengthField="NoOfTemperatures"/>
                <opc:Field Name="Torque" TypeName="opc:Double" SwitchField="TorqueSpecified"/>
                <opc:Field Name="Limits" TypeName="ua:Range"/>
                <opc:Field Name="Label" TypeName="ua:LocalizedText"/>
              </opc:StructuredType>
              <opc:StructuredType Name="Reading" BaseType="ua:Union">
                <opc:Field Name="SwitchField" TypeName="opc:UInt32"/>
                <opc:Field Name="Level" TypeName="opc:Double" SwitchField="SwitchField" SwitchValue="1"/>
                <opc:Field Name="Code" TypeName="opc:Int32" SwitchField="SwitchField" SwitchValue="2"/>
              </opc:StructuredType>
            </opc:TypeDictionary>
            """;

    private TestTypes() {
    }

    static byte[] dictionaryBytes() {
        return DICTIONARY_XML.getBytes(StandardCharsets.UTF_8);
    }

    /** What a 1.04 server says: DataTypeDefinitions. */
    static Map<NodeId, TypeFacts> definitions() {
        Map<NodeId, TypeFacts> facts = standard();
        facts.put(MOTOR_STATE, new TypeFacts(MOTOR_STATE, "MotorState", false, Identifiers.Enumeration, null,
                new EnumDefinition(new EnumField[] {}), null));
        facts.put(MOTOR_STATUS, new TypeFacts(MOTOR_STATUS, "MotorStatus", false, Identifiers.Structure,
                MOTOR_STATUS_ENCODING, new StructureDefinition(MOTOR_STATUS_ENCODING, Identifiers.Structure,
                        StructureType.Structure, new StructureField[] {field("Current", Identifiers.Double, -1, false),
                            field("State", MOTOR_STATE, -1, false)}), null));
        facts.put(MOTOR, new TypeFacts(MOTOR, "Motor", false, Identifiers.Structure, MOTOR_ENCODING,
                new StructureDefinition(MOTOR_ENCODING, Identifiers.Structure, StructureType.StructureWithOptionalFields,
                        new StructureField[] {field("Speed", Identifiers.Float, -1, false),
                            field("Status", MOTOR_STATUS, -1, false), field("Temperatures", Identifiers.Double, 1, false),
                            field("Torque", Identifiers.Double, -1, true), field("Limits", Identifiers.Range, -1, false),
                            field("Label", Identifiers.LocalizedText, -1, false)}), null));
        facts.put(READING, new TypeFacts(READING, "Reading", false, Identifiers.Union, READING_ENCODING,
                new StructureDefinition(READING_ENCODING, Identifiers.Union, StructureType.Union,
                        new StructureField[] {field("Level", Identifiers.Double, -1, false),
                            field("Code", Identifiers.Int32, -1, false)}), null));
        return facts;
    }

    /** What a 1.03 server says: no definitions, entries of a dictionary. */
    static Map<NodeId, TypeFacts> dictionaryEntries() {
        Map<NodeId, TypeFacts> facts = standard();
        facts.put(MOTOR, new TypeFacts(MOTOR, "Motor", false, Identifiers.Structure, MOTOR_ENCODING, null,
                new TypeFacts.DictionaryEntry(DICTIONARY, "Motor")));
        facts.put(READING, new TypeFacts(READING, "Reading", false, Identifiers.Structure, READING_ENCODING, null,
                new TypeFacts.DictionaryEntry(DICTIONARY, "Reading")));
        return facts;
    }

    /** The standard types the test types use, as every server describes them (browse name, supertype, encoding). */
    static Map<NodeId, TypeFacts> standard() {
        Map<NodeId, TypeFacts> facts = new HashMap<>();
        facts.put(Identifiers.Range, new TypeFacts(Identifiers.Range, "Range", false, Identifiers.Structure,
                Identifiers.Range_Encoding_DefaultBinary, null, null));
        facts.put(Identifiers.EUInformation, new TypeFacts(Identifiers.EUInformation, "EUInformation", false,
                Identifiers.Structure, Identifiers.EUInformation_Encoding_DefaultBinary, null, null));
        facts.put(Identifiers.ServerStatusDataType, new TypeFacts(Identifiers.ServerStatusDataType,
                "ServerStatusDataType", false, Identifiers.Structure,
                Identifiers.ServerStatusDataType_Encoding_DefaultBinary, null, null));
        facts.put(Identifiers.Duration, new TypeFacts(Identifiers.Duration, "Duration", false, Identifiers.Double,
                null, null, null));
        return facts;
    }

    static StructureField field(String name, NodeId type, int valueRank, boolean optional) {
        return new StructureField(name, LocalizedText.NULL_VALUE, type, valueRank,
                valueRank == 1 ? new org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger[] {uint(0)}
                        : null, uint(0), optional);
    }

    static String name(NodeId id) {
        return id.getNamespaceIndex().intValue() == 0 ? "i=" + id.getIdentifier() : "nsu=" + URI + ";i=" + id.getIdentifier();
    }
}
