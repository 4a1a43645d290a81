package io.opcscraper.opcua.internal.structure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.opcscraper.api.CatalogField;
import io.opcscraper.opcua.internal.structure.Layout.Bits;
import io.opcscraper.opcua.internal.structure.Layout.Element;
import io.opcscraper.opcua.internal.structure.Layout.Field;
import io.opcscraper.opcua.internal.structure.Layout.Nested;
import io.opcscraper.opcua.internal.structure.Layout.Primitive;
import io.opcscraper.opcua.internal.structure.Layout.Step;

/**
 * The catalog's view of a layout: every leaf a value may give, with {@code []} where the rows
 * carry an index. Optional fields and every member of a union are listed (a value gives rows for
 * those present). What only a value can tell is not listed: the leaves of an ExtensionObject
 * field (its type comes with the value). A type that contains itself is listed once, not again
 * below itself; at most {@value #MAX_FIELDS} fields per variable, {@value #MAX_DEPTH} levels.
 */
final class LeafFields {

    static final int MAX_FIELDS = 1000;
    static final int MAX_DEPTH = 8;

    private final Units units;
    private final List<CatalogField> fields = new ArrayList<>();
    private final Set<Layout> open = new HashSet<>();

    private LeafFields(Units units) {
        this.units = units;
    }

    /**
     * @param prefix {@code ""} for a scalar variable, {@code "[]"} for an array of structures
     */
    static List<CatalogField> of(Layout layout, String prefix, Units units) {
        LeafFields walk = new LeafFields(units);
        walk.structure(layout, new StringBuilder(prefix), new ArrayList<>(), prefix.isEmpty(), 0);
        return walk.fields;
    }

    private void structure(Layout layout, StringBuilder path, List<String> names, boolean plain, int depth) {
        if (depth >= MAX_DEPTH || !this.open.add(layout)) {
            return;
        }
        for (Step step : layout.steps()) {
            int mark = path.length();
            path.append('.').append(step.name());
            names.add(step.name());
            if (step instanceof Bits bits) {
                if (bits.leaf()) {
                    add(path, "Bit", names, plain);
                }
            } else {
                Field field = (Field) step;
                if (field.leaf()) {
                    boolean array = field.length() != Layout.Length.SCALAR;
                    if (array) {
                        path.append("[]");
                    }
                    element(field.element(), path, names, plain && !array, depth);
                }
            }
            names.remove(names.size() - 1);
            path.setLength(mark);
        }
        this.open.remove(layout);
    }

    private void element(Element element, StringBuilder path, List<String> names, boolean plain, int depth) {
        if (element instanceof Nested nested) {
            structure(nested.layout().get(), path, names, plain, depth + 1);
        } else if (element instanceof Primitive primitive) {
            if (primitive.type().numeric || primitive.type() == Builtin.VARIANT) {
                add(path, primitive.typeName(), names, plain);
            }
        } else if (!(element instanceof Layout.Opaque)) {
            add(path, element.typeName(), names, plain);
        }
    }

    private void add(CharSequence path, String type, List<String> names, boolean plain) {
        if (this.fields.size() < MAX_FIELDS) {
            this.fields.add(new CatalogField(path.toString(), type, plain ? this.units.of(names) : null));
        }
    }

    /** The engineering unit of a field, where the server gives one. */
    public interface Units {

        Units NONE = path -> null;

        /** The unit of the field at {@code path} (field names from the variable down), else {@code null}. */
        String of(List<String> path);
    }
}
