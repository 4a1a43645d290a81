package io.opcscraper.opcua.internal.structure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.StructureType;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureField;

import io.opcscraper.opcua.internal.structure.BsdDictionary.DictionaryException;
import io.opcscraper.opcua.internal.structure.Layout.Bits;
import io.opcscraper.opcua.internal.structure.Layout.Condition;
import io.opcscraper.opcua.internal.structure.Layout.Element;
import io.opcscraper.opcua.internal.structure.Layout.Field;
import io.opcscraper.opcua.internal.structure.Layout.Length;
import io.opcscraper.opcua.internal.structure.Layout.LayoutRef;
import io.opcscraper.opcua.internal.structure.Layout.Nested;
import io.opcscraper.opcua.internal.structure.Layout.Operator;
import io.opcscraper.opcua.internal.structure.Layout.Primitive;
import io.opcscraper.opcua.internal.structure.Layout.Step;

/**
 * Compiles the structure types a server describes into {@link Layout}s, choosing per type:
 * <ol>
 * <li>a type of namespace 0 (Range, EUInformation, ServerStatusDataType, ...): the OPC UA
 * dictionary Milo ships, by the type's browse name: the standard's own description, whatever
 * the server says;</li>
 * <li>a type with a 1.04 StructureDefinition: compiled here into the steps its dictionary entry
 * would have (Part 6 5.2.6 to 5.2.8): a structure with optional fields starts with a 32-bit mask,
 * one bit per optional field in order; a union with a UInt32 switch, 1 for its first field;</li>
 * <li>else the type's entry in the server's 1.03 data type dictionary.</li>
 * </ol>
 * A field's type is resolved through its supertypes ({@link TypeKind}): Duration is a Double, an
 * enumeration an Int32, an abstract structure an ExtensionObject, BaseDataType a Variant.
 */
final class DefinitionLayouts {

    /** Optional fields a StructureWithOptionalFields may have: the bits of its UInt32 mask. */
    private static final int MAX_OPTIONAL = 32;

    private final Map<NodeId, TypeFacts> facts;
    private final Map<NodeId, Object> dictionaries;
    private final DictionaryLayouts dictionaryLayouts;
    private final Function<NodeId, String> names;
    private final Map<NodeId, LayoutRef> compiled = new HashMap<>();
    private final List<Layout> created = new ArrayList<>();

    /**
     * @param dictionaries the server's dictionaries by node: a {@link BsdDictionary}, or a
     *        {@link DictionaryException} saying why it cannot be used
     * @param names a type id's stable text form
     */
    DefinitionLayouts(Map<NodeId, TypeFacts> facts, Map<NodeId, Object> dictionaries,
            DictionaryLayouts dictionaryLayouts, Function<NodeId, String> names) {
        this.facts = facts;
        this.dictionaries = dictionaries;
        this.dictionaryLayouts = dictionaryLayouts;
        this.names = names;
    }

    /** The layouts this compiler made from definitions (the dictionary compiler keeps its own). */
    List<Layout> created() {
        return this.created;
    }

    /** The layout of structure type {@code id}. */
    LayoutRef structure(NodeId id) throws DescriptionException {
        LayoutRef known = this.compiled.get(id);
        if (known != null) {
            return known;
        }
        TypeFacts type = this.facts.get(id);
        String typeId = this.names.apply(id);
        if (type == null) {
            throw new DescriptionException("the server did not describe it");
        }
        if (id.getNamespaceIndex().intValue() == 0) {
            return this.dictionaryLayouts.structure(this.dictionaryLayouts.standard(), type.browseName(), typeId);
        }
        if (type.definition() instanceof StructureDefinition definition) {
            LayoutRef ref = new LayoutRef();
            this.compiled.put(id, ref);
            try {
                Layout layout = compile(typeId, definition);
                ref.set(layout);
                this.created.add(layout);
                return ref;
            } catch (DescriptionException | RuntimeException e) {
                this.compiled.remove(id);
                throw e;
            }
        }
        if (type.dictionaryEntry() != null) {
            Object dictionary = this.dictionaries.get(type.dictionaryEntry().dictionary());
            if (dictionary instanceof BsdDictionary bsd) {
                return this.dictionaryLayouts.structure(bsd, type.dictionaryEntry().name(), typeId);
            }
            throw new DescriptionException("its data type dictionary " + this.names.apply(type.dictionaryEntry()
                    .dictionary()) + " cannot be used: " + (dictionary instanceof DictionaryException problem
                            ? problem.getMessage() : "it was not read"));
        }
        throw new DescriptionException(type.definitionProblem() != null ? type.definitionProblem()
                : "the server describes it neither with a DataTypeDefinition nor in a data type dictionary");
    }

    private Layout compile(String typeId, StructureDefinition definition) throws DescriptionException {
        StructureType kind = definition.getStructureType();
        StructureField[] fields = definition.getFields() == null ? new StructureField[0] : definition.getFields();
        if (kind == null) {
            throw new DescriptionException("its StructureDefinition has a structure type this client does not"
                    + " support (a 1.05 structure with subtyped values?)");
        }
        List<Step> steps = new ArrayList<>();
        switch (kind) {
            case Structure:
                for (StructureField field : fields) {
                    steps.add(field(field, null));
                }
                return new Layout(typeId, steps, 0);
            case StructureWithOptionalFields:
                int optional = 0;
                for (StructureField field : fields) {
                    if (Boolean.TRUE.equals(field.getIsOptional())) {
                        steps.add(new Bits(name(field) + "Specified", 1, optional++, false, null));
                    }
                }
                if (optional > MAX_OPTIONAL) {
                    throw new DescriptionException("it has " + optional + " optional fields; a mask holds 32");
                }
                if (optional < MAX_OPTIONAL) {
                    steps.add(new Bits("Reserved1", MAX_OPTIONAL - optional, -1, false, null));
                }
                int bit = 0;
                for (StructureField field : fields) {
                    boolean isOptional = Boolean.TRUE.equals(field.getIsOptional());
                    steps.add(field(field, isOptional ? new Condition(bit++, Operator.EQUALS, 1) : null));
                }
                return new Layout(typeId, steps, optional);
            case Union:
                steps.add(new Field("SwitchField", new Primitive(Builtin.UINT32), Length.SCALAR, 0, -1, 0, false, null));
                for (int i = 0; i < fields.length; i++) {
                    steps.add(field(fields[i], new Condition(0, Operator.EQUALS, i + 1L)));
                }
                return new Layout(typeId, steps, 1);
            default:
                throw new DescriptionException("its structure type " + kind + " is not supported");
        }
    }

    private Step field(StructureField field, Condition when) throws DescriptionException {
        String name = name(field);
        if (field.getDataType() == null) {
            throw new DescriptionException("field '" + name + "' has no data type");
        }
        Element element;
        try {
            element = element(field.getDataType());
        } catch (DescriptionException e) {
            throw new DescriptionException("field '" + name + "': " + e.getMessage());
        }
        int rank = field.getValueRank() == null ? -1 : field.getValueRank();
        if (rank == -1) {
            return new Field(name, element, Length.SCALAR, 0, -1, -1, true, when);
        }
        if (rank == 1) {
            return new Field(name, element, Length.PREFIXED, 0, -1, -1, true, when);
        }
        if (rank > 1) {
            return new Field(name, element, Length.MATRIX, 0, -1, -1, true, when);
        }
        throw new DescriptionException("field '" + name + "' has ValueRank " + rank + ", which has no fixed encoding");
    }

    private static String name(StructureField field) throws DescriptionException {
        if (field.getName() == null || field.getName().isEmpty()) {
            throw new DescriptionException("a field has no name");
        }
        return field.getName();
    }

    private Element element(NodeId type) throws DescriptionException {
        switch (TypeKind.of(type, this.facts)) {
            case BUILTIN:
                return new Primitive(TypeKind.builtinOf(type, this.facts));
            case VARIANT:
                return new Primitive(Builtin.VARIANT);
            case ENUMERATION:
                return new Layout.Enumeration(this.names.apply(type), 32, true);
            case OPTION_SET:
                return new Layout.OptionSetBytes(this.names.apply(type));
            case STRUCTURE:
                TypeFacts facts = this.facts.get(type);
                if (facts == null || facts.isAbstract()) {
                    return new Primitive(Builtin.EXTENSION_OBJECT);
                }
                return new Nested(this.names.apply(type), structure(type));
            default:
                throw new DescriptionException("its data type " + this.names.apply(type)
                        + " is not one the server describes");
        }
    }
}
