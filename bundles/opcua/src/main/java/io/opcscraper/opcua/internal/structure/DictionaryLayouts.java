package io.opcscraper.opcua.internal.structure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.xml.namespace.QName;

import org.opcfoundation.opcua.binaryschema.EnumeratedType;
import org.opcfoundation.opcua.binaryschema.FieldType;
import org.opcfoundation.opcua.binaryschema.StructuredType;
import org.opcfoundation.opcua.binaryschema.SwitchOperand;

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
 * Compiles the structured types of 1.03 data type dictionaries into {@link Layout}s, almost one
 * to one: a field that others use as their LengthField or SwitchField keeps its integer in a slot
 * and gives no row; {@code opc:Bit} fields are bits (the ones named {@code Reserved...} are
 * padding); {@code tns:} types are this dictionary's, {@code ua:} types the OPC UA namespace's.
 * One compiler per load: it remembers what it compiled, so types that contain each other (or
 * themselves) link up.
 */
final class DictionaryLayouts {

    private static final Pattern PADDING = Pattern.compile("Reserved\\d*");

    private final BsdDictionary standard;
    private final Map<String, BsdDictionary> byNamespace = new HashMap<>();
    private final Map<String, LayoutRef> compiled = new HashMap<>();
    private final List<Layout> created = new ArrayList<>();

    /** @param standard the OPC UA namespace's dictionary ({@code ua:} types) */
    DictionaryLayouts(BsdDictionary standard) {
        this.standard = standard;
        this.byNamespace.put(standard.targetNamespace(), standard);
    }

    /** Makes a server's dictionary known, for types of other dictionaries that refer to its namespace. */
    void add(BsdDictionary dictionary) {
        this.byNamespace.putIfAbsent(dictionary.targetNamespace(), dictionary);
    }

    BsdDictionary standard() {
        return this.standard;
    }

    /** Every layout compiled so far (each once). */
    List<Layout> created() {
        return this.created;
    }

    /**
     * The layout of structured type {@code name} of {@code dictionary}.
     *
     * @param typeId the data type's id for messages and the catalog
     */
    LayoutRef structure(BsdDictionary dictionary, String name, String typeId) throws DescriptionException {
        String key = dictionary.targetNamespace() + '\u0000' + name;
        LayoutRef known = this.compiled.get(key);
        if (known != null) {
            return known;
        }
        StructuredType type = dictionary.structure(name);
        if (type == null) {
            throw new DescriptionException("its dictionary " + dictionary.targetNamespace() + " has no structured type '"
                    + name + "'");
        }
        LayoutRef ref = new LayoutRef();
        this.compiled.put(key, ref);
        try {
            Layout layout = compile(dictionary, type, typeId != null ? typeId : name);
            ref.set(layout);
            this.created.add(layout);
            return ref;
        } catch (DescriptionException | RuntimeException e) {
            this.compiled.remove(key);
            throw e;
        }
    }

    private Layout compile(BsdDictionary dictionary, StructuredType type, String typeId) throws DescriptionException {
        List<FieldType> fields = type.getField();
        Set<String> controls = new HashSet<>();
        for (FieldType field : fields) {
            if (field.getLengthField() != null) {
                controls.add(field.getLengthField());
            }
            if (field.getSwitchField() != null) {
                controls.add(field.getSwitchField());
            }
        }
        Map<String, Integer> slots = new HashMap<>();
        List<Step> steps = new ArrayList<>(fields.size());
        for (FieldType field : fields) {
            String name = field.getName();
            if (name == null || field.getTypeName() == null) {
                throw new DescriptionException("a field of '" + type.getName() + "' has no name or type");
            }
            if (field.isIsLengthInBytes()) {
                throw new DescriptionException("field '" + name + "' has IsLengthInBytes, which is not supported");
            }
            if (field.getTerminator() != null) {
                throw new DescriptionException("field '" + name + "' has a Terminator, which is not supported");
            }
            Condition when = condition(field, slots);
            int slot = -1;
            if (controls.contains(name)) {
                slot = slots.size();
                slots.put(name, slot);
            }
            QName typeName = field.getTypeName();
            if (BsdDictionary.OPC_BINARY.equals(typeName.getNamespaceURI()) && "Bit".equals(typeName.getLocalPart())) {
                int count = field.getLength() == null ? 1 : (int) Math.min(64, Math.max(1, field.getLength()));
                boolean leaf = slot < 0 && !PADDING.matcher(name).matches();
                steps.add(new Bits(name, count, slot, leaf, when));
                continue;
            }
            Element element = element(dictionary, typeName, name);
            if (field.getLengthField() != null) {
                Integer lengthSlot = slots.get(field.getLengthField());
                if (lengthSlot == null) {
                    throw new DescriptionException("field '" + name + "' takes its length from '"
                            + field.getLengthField() + "', which does not come before it");
                }
                steps.add(new Field(name, element, Length.FROM_SLOT, 0, lengthSlot, slot, slot < 0, when));
            } else if (field.getLength() != null) {
                if (field.getLength() < 0 || field.getLength() > 65_536) {
                    throw new DescriptionException("field '" + name + "' has Length " + field.getLength());
                }
                steps.add(new Field(name, element, Length.FIXED, field.getLength().intValue(), -1, slot, slot < 0,
                        when));
            } else {
                steps.add(new Field(name, element, Length.SCALAR, 0, -1, slot, slot < 0, when));
            }
        }
        return new Layout(typeId, steps, slots.size());
    }

    private static Condition condition(FieldType field, Map<String, Integer> slots) throws DescriptionException {
        if (field.getSwitchField() == null) {
            return null;
        }
        Integer slot = slots.get(field.getSwitchField());
        if (slot == null) {
            throw new DescriptionException("field '" + field.getName() + "' switches on '" + field.getSwitchField()
                    + "', which does not come before it");
        }
        if (field.getSwitchValue() == null) {
            return new Condition(slot, Operator.NOT_EQUAL, 0); // present when the switch is not zero
        }
        return new Condition(slot, operator(field.getSwitchOperand()), field.getSwitchValue());
    }

    private static Operator operator(SwitchOperand operand) {
        if (operand == null) {
            return Operator.EQUALS;
        }
        switch (operand) {
            case NOT_EQUAL:
                return Operator.NOT_EQUAL;
            case GREATER_THAN:
                return Operator.GREATER_THAN;
            case GREATER_THAN_OR_EQUAL:
                return Operator.GREATER_THAN_OR_EQUAL;
            case LESS_THAN:
                return Operator.LESS_THAN;
            case LESS_THAN_OR_EQUAL:
                return Operator.LESS_THAN_OR_EQUAL;
            default:
                return Operator.EQUALS;
        }
    }

    private Element element(BsdDictionary dictionary, QName typeName, String field) throws DescriptionException {
        String namespace = typeName.getNamespaceURI();
        String local = typeName.getLocalPart();
        if (BsdDictionary.OPC_BINARY.equals(namespace) || BsdDictionary.OPC_UA.equals(namespace)) {
            Builtin builtin = Builtin.ofDictionaryName(local);
            if (builtin != null) {
                return new Primitive(builtin);
            }
            if (BsdDictionary.OPC_BINARY.equals(namespace)) {
                throw new DescriptionException("field '" + field + "' has the type opc:" + local
                        + ", which the OPC Binary schema does not have");
            }
        }
        BsdDictionary owner = namespace.equals(dictionary.targetNamespace()) ? dictionary
                : this.byNamespace.get(namespace);
        if (owner == null) {
            throw new DescriptionException("field '" + field + "' has the type {" + namespace + "}" + local
                    + ", from a dictionary the server does not offer");
        }
        EnumeratedType enumeration = owner.enumeration(local);
        if (enumeration != null) {
            int bits = enumeration.getLengthInBits() == null ? 32 : enumeration.getLengthInBits();
            if (bits < 1 || bits > 64) {
                throw new DescriptionException("enumeration '" + local + "' has LengthInBits " + bits);
            }
            boolean optionSet = "true".equalsIgnoreCase(attribute(enumeration.getOtherAttributes(), "IsOptionSet"));
            return new Layout.Enumeration(local, bits, bits == 32 && !optionSet);
        }
        if (owner.structure(local) == null) {
            throw new DescriptionException("field '" + field + "' has the type " + local + ", which dictionary "
                    + owner.targetNamespace() + " does not describe as a structure or enumeration (an opaque type?)");
        }
        return new Nested(local, structure(owner, local, null));
    }

    private static String attribute(Map<QName, String> attributes, String name) {
        for (Map.Entry<QName, String> attribute : attributes.entrySet()) {
            if (name.equals(attribute.getKey().getLocalPart())) {
                return attribute.getValue();
            }
        }
        return null;
    }
}
