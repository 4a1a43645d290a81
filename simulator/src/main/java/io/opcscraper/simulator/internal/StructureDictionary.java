package io.opcscraper.simulator.internal;

import java.util.List;

import io.opcscraper.simulator.internal.StructureModel.Field;
import io.opcscraper.simulator.internal.StructureModel.Kind;
import io.opcscraper.simulator.internal.StructureModel.Type;

/**
 * The 1.03 data type dictionary (OPC Binary schema, Part 3 Annex C) of the plant's types, as a
 * 1.03 server offers it: arrays as a {@code NoOf} length field, optional fields behind
 * {@code ...Specified} bits, a union's {@code SwitchField}.
 */
final class StructureDictionary {

    private StructureDictionary() {
    }

    static String xml(String namespaceUri, List<Type> types) {
        StringBuilder xml = new StringBuilder()
            .append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
            .append("<opc:TypeDictionary xmlns:opc=\"http://opcfoundation.org/BinarySchema/\"")
            .append(" xmlns:ua=\"http://opcfoundation.org/UA/\" xmlns:tns=\"").append(escape(namespaceUri)).append('"')
            .append(" DefaultByteOrder=\"LittleEndian\" TargetNamespace=\"").append(escape(namespaceUri)).append("\">\n")
            .append("  <opc:Import Namespace=\"http://opcfoundation.org/UA/\"/>\n");
        for (Type type : types) {
            if (type.kind() == Kind.ENUMERATION) {
                xml.append("  <opc:EnumeratedType Name=\"").append(escape(type.name())).append("\" LengthInBits=\"32\">\n");
                for (int i = 0; i < type.values().size(); i++) {
                    xml.append("    <opc:EnumeratedValue Name=\"").append(escape(type.values().get(i)))
                        .append("\" Value=\"").append(i).append("\"/>\n");
                }
                xml.append("  </opc:EnumeratedType>\n");
            } else {
                structure(xml, type);
            }
        }
        return xml.append("</opc:TypeDictionary>\n").toString();
    }

    private static void structure(StringBuilder xml, Type type) {
        xml.append("  <opc:StructuredType Name=\"").append(escape(type.name())).append("\" BaseType=\"")
            .append(type.kind() == Kind.UNION ? "ua:Union" : "ua:ExtensionObject").append("\">\n");
        int optional = 0;
        if (type.kind() == Kind.OPTIONAL_FIELDS) {
            for (Field field : type.fields()) {
                if (field.optional()) {
                    field(xml, field.name() + "Specified", "opc:Bit", "");
                    optional++;
                }
            }
            field(xml, "Reserved1", "opc:Bit", " Length=\"" + (32 - optional) + "\"");
        }
        if (type.kind() == Kind.UNION) {
            field(xml, "SwitchField", "opc:UInt32", "");
        }
        for (int i = 0; i < type.fields().size(); i++) {
            Field field = type.fields().get(i);
            String extra = "";
            if (field.optional()) {
                extra = " SwitchField=\"" + escape(field.name()) + "Specified\"";
            } else if (type.kind() == Kind.UNION) {
                extra = " SwitchField=\"SwitchField\" SwitchValue=\"" + (i + 1) + "\"";
            }
            if (field.array()) {
                field(xml, "NoOf" + field.name(), "opc:Int32", "");
                extra += " LengthField=\"NoOf" + escape(field.name()) + "\"";
            }
            field(xml, field.name(), field.type().dictionaryName(), extra);
        }
        xml.append("  </opc:StructuredType>\n");
    }

    private static void field(StringBuilder xml, String name, String type, String extra) {
        xml.append("    <opc:Field Name=\"").append(escape(name)).append("\" TypeName=\"").append(type).append('"')
            .append(extra).append("/>\n");
    }

    /** Names as XML attribute values: hostile names stay what they are. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
            .replace("'", "&apos;");
    }
}
