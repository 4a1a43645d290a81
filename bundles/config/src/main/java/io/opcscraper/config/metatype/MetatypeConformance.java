package io.opcscraper.config.metatype;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.opcscraper.config.AdType;
import io.opcscraper.config.InvalidConfigurationException;
import io.opcscraper.config.InvalidPropertyException;
import io.opcscraper.config.Property;

/**
 * Checks that a metatype file and the options class of its component say the same thing, and
 * that the metatype only uses what the Kura console accepts. Returns the list of violations
 * (empty when all is well) so a test can show all of them at once.
 */
public final class MetatypeConformance {

    /** The AD types Kura's console accepts (kura.md). */
    public static final Set<String> KURA_AD_TYPES = Set.of("String", "Long", "Double", "Float", "Integer", "Byte",
            "Char", "Boolean", "Short", "Password");

    /** Parses a whole configuration the way the component does. */
    @FunctionalInterface
    public interface OptionsParser {
        void parse(Map<String, Object> properties) throws InvalidConfigurationException;
    }

    private MetatypeConformance() {
    }

    public static List<String> check(MetatypeDocument doc, String pid, List<Property<?>> properties,
            OptionsParser parser) {
        List<String> violations = new ArrayList<>();
        checkDocument(doc, pid, violations);

        Map<String, MetatypeDocument.Attribute> ads = new HashMap<>();
        for (MetatypeDocument.Attribute ad : doc.attributes()) {
            if (ads.put(ad.id(), ad) != null) {
                violations.add("AD '" + ad.id() + "' is defined twice");
            }
            checkAttribute(ad, violations);
        }
        Set<String> propertyIds = new LinkedHashSet<>();
        for (Property<?> property : properties) {
            propertyIds.add(property.id());
            MetatypeDocument.Attribute ad = ads.get(property.id());
            if (ad == null) {
                violations.add("property '" + property.id() + "' is read by the options but has no AD in the metatype");
            } else {
                compare(ad, property, violations);
            }
        }
        for (String id : ads.keySet()) {
            if (!propertyIds.contains(id)) {
                violations.add("AD '" + id + "' is in the metatype but not read by the options");
            }
        }
        checkParser(doc, properties, parser, violations);
        return violations;
    }

    private static void checkDocument(MetatypeDocument doc, String pid, List<String> violations) {
        if (!MetatypeDocument.NAMESPACE.equals(doc.namespace())) {
            violations.add("namespace is " + doc.namespace() + ", Kura expects " + MetatypeDocument.NAMESPACE);
        }
        if (!pid.equals(doc.ocdId())) {
            violations.add("OCD id is " + doc.ocdId() + ", expected the PID " + pid);
        }
        if (blank(doc.ocdName()) || blank(doc.ocdDescription())) {
            violations.add("OCD needs a name and a description");
        }
        if (doc.designates().size() != 1) {
            violations.add("expected one Designate, found " + doc.designates().size());
        } else {
            MetatypeDocument.Designate designate = doc.designates().get(0);
            if (!pid.equals(designate.factoryPid()) || !pid.equals(designate.pid()) || !pid.equals(designate.ocdRef())) {
                violations.add("Designate must have pid, factoryPid and Object ocdref all equal to " + pid + ", found "
                        + designate);
            }
        }
    }

    private static void checkAttribute(MetatypeDocument.Attribute ad, List<String> violations) {
        String where = "AD '" + ad.id() + "'";
        if (!KURA_AD_TYPES.contains(ad.type())) {
            violations.add(where + " has type " + ad.type() + ", which the Kura console does not accept");
        }
        if (blank(ad.name()) || blank(ad.description())) {
            violations.add(where + " needs a name and a description");
        }
        if (ad.cardinality() != null && !"0".equals(ad.cardinality())) {
            violations.add(where + " has cardinality " + ad.cardinality() + "; OPC Scraper uses single values");
        }
        if (!"true".equals(ad.required()) && !"false".equals(ad.required())) {
            violations.add(where + " must say required=\"true\" or \"false\"");
        }
        ad.options().forEach((value, label) -> {
            if (blank(label)) {
                violations.add(where + " option '" + value + "' needs a label");
            }
        });
    }

    private static void compare(MetatypeDocument.Attribute ad, Property<?> property, List<String> violations) {
        String where = "AD '" + ad.id() + "'";
        if (!property.type().metatypeName().equals(ad.type())) {
            violations.add(where + " has type " + ad.type() + ", the options read " + property.type().metatypeName());
            return;
        }
        String adDefault = ad.defaultValue() == null ? "" : ad.defaultValue();
        if (!sameValue(property.type(), adDefault, property.defaultAsString())) {
            violations.add(where + " default '" + adDefault + "' differs from the options' default '"
                    + property.defaultAsString() + "'");
        }
        if (!sameNumber(ad.min(), property.min().orElse(null))) {
            violations.add(where + " min " + ad.min() + " differs from the options' " + property.min().orElse(null));
        }
        if (!sameNumber(ad.max(), property.max().orElse(null))) {
            violations.add(where + " max " + ad.max() + " differs from the options' " + property.max().orElse(null));
        }
        if (!List.copyOf(ad.options().keySet()).equals(property.options())) {
            violations.add(where + " options " + ad.options().keySet() + " differ from the options' "
                    + property.options());
        }
        try {
            property.parse(adDefault.isEmpty() && property.type() != AdType.STRING
                    && property.type() != AdType.PASSWORD ? null : adDefault);
        } catch (InvalidPropertyException e) {
            violations.add(where + " default is not valid for its own type, bounds or options: " + e.getMessage());
        }
    }

    private static void checkParser(MetatypeDocument doc, List<Property<?>> properties, OptionsParser parser,
            List<String> violations) {
        Map<String, Object> defaults = new HashMap<>();
        for (MetatypeDocument.Attribute ad : doc.attributes()) {
            if (ad.defaultValue() != null) {
                defaults.put(ad.id(), ad.defaultValue());
            }
        }
        try {
            parser.parse(defaults);
        } catch (InvalidConfigurationException e) {
            violations.add("the metatype defaults are rejected by the options: " + e.getMessage());
            return;
        }
        for (Property<?> property : properties) {
            for (Object invalid : invalidValues(property)) {
                Map<String, Object> configuration = new HashMap<>(defaults);
                configuration.put(property.id(), invalid);
                try {
                    parser.parse(configuration);
                    violations.add("property '" + property.id() + "' accepted the invalid value " + describe(invalid));
                } catch (InvalidConfigurationException e) {
                    boolean named = e.problems().stream().anyMatch(p -> p.property().equals(property.id()))
                            && e.getMessage().contains("'" + property.id() + "'");
                    if (!named) {
                        violations.add("the error for invalid '" + property.id() + "' does not name it: "
                                + e.getMessage());
                    }
                }
            }
        }
    }

    /** Values every property must refuse: a list, a value of the wrong kind, and each bound crossed. */
    static List<Object> invalidValues(Property<?> property) {
        List<Object> invalid = new ArrayList<>();
        invalid.add(List.of("a", "b"));
        switch (property.type()) {
        case STRING:
        case PASSWORD:
            invalid.add(Integer.valueOf(42));
            break;
        case BOOLEAN:
            invalid.add("maybe");
            break;
        default:
            invalid.add("not a number");
            break;
        }
        property.min().ifPresent(min -> invalid.add(property.type() == AdType.DOUBLE
                ? (Object) (min.doubleValue() - 1.0) : (Object) (min.longValue() - 1)));
        property.max().ifPresent(max -> invalid.add(property.type() == AdType.DOUBLE
                ? (Object) (max.doubleValue() + 1.0) : (Object) (max.longValue() + 1)));
        if (!property.options().isEmpty()) {
            invalid.add("no-such-option");
        }
        return invalid;
    }

    private static String describe(Object value) {
        return value instanceof String ? "'" + value + "'" : value + " (" + value.getClass().getSimpleName() + ")";
    }

    private static boolean sameValue(AdType type, String a, String b) {
        switch (type) {
        case INTEGER:
        case LONG:
        case DOUBLE:
            return sameNumber(a, b);
        default:
            return Objects.equals(a, b);
        }
    }

    private static boolean sameNumber(Object a, Object b) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        try {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
