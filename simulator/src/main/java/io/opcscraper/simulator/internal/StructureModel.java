package io.opcscraper.simulator.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.StructureType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataTypeDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumField;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureField;

/**
 * The plant's own data types, described the two ways a server can: as OPC UA 1.04
 * DataTypeDefinitions ({@link #definition}) and in a 1.03 data type dictionary
 * ({@link StructureDictionary}); {@link StructureEncoder} encodes their values by hand, following
 * OPC UA Part 6, independently of any client.
 */
final class StructureModel {

    /** How a type is encoded. */
    enum Kind {
        STRUCTURE, OPTIONAL_FIELDS, UNION, ENUMERATION
    }

    /** A field's type: an OPC UA built-in type, the standard Range, one of the plant's types, or a type nobody describes. */
    record FieldType(String name, String dictionaryName, NodeId standardId, Type custom) {

        static final FieldType DOUBLE = builtin("Double", Identifiers.Double);
        static final FieldType FLOAT = builtin("Float", Identifiers.Float);
        static final FieldType INT32 = builtin("Int32", Identifiers.Int32);
        static final FieldType UINT32 = builtin("UInt32", Identifiers.UInt32);
        static final FieldType BOOLEAN = builtin("Boolean", Identifiers.Boolean);
        static final FieldType STRING = builtin("String", Identifiers.String);
        static final FieldType LOCALIZED_TEXT = new FieldType("LocalizedText", "ua:LocalizedText",
            Identifiers.LocalizedText, null);
        static final FieldType RANGE = new FieldType("Range", "ua:Range", Identifiers.Range, null);
        /** Described nowhere: the broken type's field. */
        static final FieldType MISSING = new FieldType("Missing", "tns:Missing", null, null);

        static FieldType of(Type type) {
            return new FieldType(type.name(), "tns:" + type.name(), null, type);
        }

        private static FieldType builtin(String name, NodeId id) {
            return new FieldType(name, "opc:" + name, id, null);
        }
    }

    /** One field. */
    record Field(String name, FieldType type, boolean array, boolean optional) {

        static Field of(String name, FieldType type) {
            return new Field(name, type, false, false);
        }
    }

    /** One type: a structure (with optional fields, a union) or an enumeration (its value names). */
    record Type(String name, Kind kind, List<Field> fields, List<String> values) {

        Type {
            fields = List.copyOf(fields);
            values = List.copyOf(values);
        }

        static Type structure(String name, Kind kind, Field... fields) {
            return new Type(name, kind, List.of(fields), List.of());
        }

        /** This type with a Double field added at its end. */
        Type plus(String field) {
            List<Field> more = new ArrayList<>(fields);
            more.add(Field.of(field, FieldType.DOUBLE));
            return new Type(name, kind, more, values);
        }
    }

    static final Type MOTOR_STATE = new Type("MotorState", Kind.ENUMERATION, List.of(),
        List.of("Off", "Running", "Fault"));
    static final Type MOTOR_STATUS = Type.structure("MotorStatus", Kind.STRUCTURE,
        Field.of("Current", FieldType.DOUBLE), Field.of("State", FieldType.of(MOTOR_STATE)),
        Field.of("Running", FieldType.BOOLEAN));
    static final Type AXIS = Type.structure("Axis", Kind.STRUCTURE,
        Field.of("Position", FieldType.DOUBLE), Field.of("Velocity", FieldType.FLOAT));
    static final Type MOTOR = Type.structure("Motor", Kind.OPTIONAL_FIELDS,
        Field.of("Speed", FieldType.DOUBLE), Field.of("Status", FieldType.of(MOTOR_STATUS)),
        new Field("Axes", FieldType.of(AXIS), true, false), new Field("Temperatures", FieldType.DOUBLE, true, false),
        new Field("Torque", FieldType.DOUBLE, false, true), Field.of("Label", FieldType.STRING),
        Field.of("Limits", FieldType.RANGE), Field.of("Note", FieldType.LOCALIZED_TEXT));
    static final Type READING = Type.structure("Reading", Kind.UNION,
        Field.of("Level", FieldType.DOUBLE), Field.of("Code", FieldType.INT32));
    static final Type BROKEN = Type.structure("BrokenType", Kind.STRUCTURE,
        Field.of("Fine", FieldType.DOUBLE), Field.of("Lost", FieldType.MISSING));
    static final Type BLOCK = Type.structure("Block", Kind.STRUCTURE,
        Field.of("F1", FieldType.DOUBLE), Field.of("F2", FieldType.DOUBLE), Field.of("F3", FieldType.DOUBLE),
        Field.of("F4", FieldType.DOUBLE), Field.of("F5", FieldType.DOUBLE));

    /** Field names that break naive SQL, CSV, format strings and path handling: the plant's hostile names. */
    static Type hostile(List<String> names) {
        List<Field> fields = new ArrayList<>();
        names.forEach(name -> fields.add(Field.of(name, FieldType.DOUBLE)));
        return new Type("HostileFields", Kind.STRUCTURE, fields, List.of());
    }

    private final int namespaceIndex;

    StructureModel(int namespaceIndex) {
        this.namespaceIndex = namespaceIndex;
    }

    NodeId typeId(Type type) {
        return new NodeId(namespaceIndex, "DataTypes/" + type.name());
    }

    NodeId encodingId(Type type) {
        return new NodeId(namespaceIndex, "DataTypes/" + type.name() + "/Default Binary");
    }

    NodeId dictionaryId() {
        return new NodeId(namespaceIndex, "DataTypes/PlantTypes");
    }

    NodeId descriptionId(Type type) {
        return new NodeId(namespaceIndex, "DataTypes/PlantTypes/" + type.name());
    }

    /** The supertype: Enumeration, Union or Structure. */
    static NodeId supertype(Type type) {
        return switch (type.kind()) {
            case ENUMERATION -> Identifiers.Enumeration;
            case UNION -> Identifiers.Union;
            default -> Identifiers.Structure;
        };
    }

    /** The DataTypeDefinition attribute (Part 3 5.8.3) of {@code type}. */
    DataTypeDefinition definition(Type type) {
        if (type.kind() == Kind.ENUMERATION) {
            EnumField[] fields = new EnumField[type.values().size()];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = new EnumField((long) i, LocalizedText.english(type.values().get(i)), LocalizedText.NULL_VALUE,
                    type.values().get(i));
            }
            return new EnumDefinition(fields);
        }
        StructureField[] fields = new StructureField[type.fields().size()];
        for (int i = 0; i < fields.length; i++) {
            Field field = type.fields().get(i);
            fields[i] = new StructureField(field.name(), LocalizedText.NULL_VALUE, fieldTypeId(field.type()),
                field.array() ? 1 : -1, field.array() ? new UInteger[] {uint(0)} : null, uint(0), field.optional());
        }
        StructureType structureType = switch (type.kind()) {
            case OPTIONAL_FIELDS -> StructureType.StructureWithOptionalFields;
            case UNION -> StructureType.Union;
            default -> StructureType.Structure;
        };
        return new StructureDefinition(encodingId(type), supertype(type), structureType, fields);
    }

    private NodeId fieldTypeId(FieldType type) {
        if (type.custom() != null) {
            return typeId(type.custom());
        }
        return type.standardId() != null ? type.standardId() : new NodeId(namespaceIndex, "DataTypes/Missing");
    }
}
