package io.opcscraper.launcher.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;

/**
 * Reads a configuration resource in the format of the OSGi Configurator specification (R7
 * compendium, chapter 150): one JSON object whose members are PIDs, factory configurations
 * written {@code factoryPid~name}, each holding the properties; a property key may carry a type
 * ({@code "interval.ms:Integer"}); members starting with {@code :configurator:} are directives.
 * String values may hold placeholders in the syntax of Felix ConfigAdmin's interpolation plugin,
 * {@code $[env:NAME]}, {@code $[prop:NAME]}, each with an optional {@code ;default=VALUE}: a local
 * run passes the endpoint, the database and the password (from the environment, never the
 * command line) without editing the file. A placeholder without value or default is an error.
 *
 * <p>We read the file ourselves (with minimal-json, which a Kura gateway runs) instead of running
 * the Felix Configurator bundle, because the instances must be created the way Kura's console
 * does it (metatype defaults merged, passwords encrypted, {@code kura.service.pid} set), which
 * the Configurator, writing straight into ConfigurationAdmin, does not do.
 */
final class ConfiguratorFile {

    /** One factory configuration of the file. */
    record Instance(String key, String factoryPid, String name, Map<String, Object> properties) {
    }

    static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigException(String message) {
            super(message);
        }
    }

    private ConfiguratorFile() {
    }

    /** Where placeholders take their values from. */
    interface Lookup {
        String env(String name);

        String prop(String name);
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\[(env|prop):([^;\\]]+)(?:;default=([^\\]]*))?\\]");

    static List<Instance> read(Path file, Lookup lookup) throws ConfigException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(JsonValue.readFrom(reader), lookup);
        } catch (IOException e) {
            throw new ConfigException("cannot read the file: " + e);
        } catch (ParseException e) {
            throw new ConfigException("not valid JSON: line " + e.getLine() + ", column " + e.getColumn() + ": "
                    + e.getMessage());
        }
    }

    static List<Instance> parse(JsonValue root, Lookup lookup) throws ConfigException {
        if (!root.isObject()) {
            throw new ConfigException("the document must be a JSON object whose members are configurations");
        }
        JsonValue version = root.asObject().get(":configurator:resource-version");
        if (version != null && (!version.isNumber() || version.asInt() != 1)) {
            throw new ConfigException("\":configurator:resource-version\" must be 1, not " + version);
        }
        List<Instance> instances = new ArrayList<>();
        for (JsonObject.Member member : root.asObject()) {
            String key = member.getName();
            if (key.startsWith(":configurator:")) {
                continue;
            }
            int tilde = key.indexOf('~');
            if (tilde <= 0 || tilde == key.length() - 1) {
                throw new ConfigException("\"" + key + "\": expected a factory configuration \"factoryPid~name\" "
                        + "(our components are factories, e.g. \"io.opcscraper.opcua.Connection~opcua-connection\")");
            }
            if (!member.getValue().isObject()) {
                throw new ConfigException("\"" + key + "\": must be an object of properties");
            }
            Map<String, Object> properties = new LinkedHashMap<>();
            for (JsonObject.Member property : member.getValue().asObject()) {
                String name = property.getName();
                if (name.startsWith(":configurator:")) {
                    continue;
                }
                int colon = name.lastIndexOf(':');
                String type = colon > 0 ? name.substring(colon + 1) : null;
                String id = colon > 0 ? name.substring(0, colon) : name;
                String field = "\"" + key + "\"." + name;
                properties.put(id, value(interpolate(property.getValue(), lookup, field), type, field));
            }
            instances.add(new Instance(key, key.substring(0, tilde), key.substring(tilde + 1), properties));
        }
        return instances;
    }

    private static JsonValue interpolate(JsonValue value, Lookup lookup, String field) throws ConfigException {
        if (!value.isString() || !value.asString().contains("$[")) {
            return value;
        }
        Matcher matcher = PLACEHOLDER.matcher(value.asString());
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(2);
            String found = "env".equals(matcher.group(1)) ? lookup.env(name) : lookup.prop(name);
            if (found == null) {
                found = matcher.group(3);
            }
            if (found == null) {
                throw new ConfigException(field + ": placeholder " + matcher.group() + " has no value and no default");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(found));
        }
        matcher.appendTail(result);
        return Json.value(result.toString());
    }

    /** A value as the Configurator converts it: by its type hint, else by the JSON type. */
    private static Object value(JsonValue value, String type, String field) throws ConfigException {
        try {
            if (type == null) {
                return untyped(value, field);
            }
            switch (type) {
            case "String":
                return value.isString() ? value.asString() : value.toString();
            case "Integer":
                return Integer.valueOf(number(value));
            case "Long":
                return Long.valueOf(number(value));
            case "Double":
                return Double.valueOf(number(value));
            case "Float":
                return Float.valueOf(number(value));
            case "Boolean":
                return value.isBoolean() ? value.asBoolean() : Boolean.valueOf(strictBoolean(value.asString()));
            case "String[]":
                return strings(value, field);
            default:
                throw new ConfigException(field + ": unsupported type \"" + type
                        + "\" (String, Integer, Long, Double, Float, Boolean, String[])");
            }
        } catch (NumberFormatException | UnsupportedOperationException e) {
            throw new ConfigException(field + ": " + value + " is not a " + type);
        }
    }

    private static String number(JsonValue value) {
        return value.isString() ? value.asString().trim() : value.toString();
    }

    private static boolean strictBoolean(String text) {
        if (!"true".equals(text) && !"false".equals(text)) {
            throw new NumberFormatException(text);
        }
        return Boolean.parseBoolean(text);
    }

    private static Object untyped(JsonValue value, String field) throws ConfigException {
        if (value.isString()) {
            return value.asString();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNumber()) {
            String literal = value.toString();
            if (literal.matches("-?\\d+")) {
                long whole = value.asLong();
                return whole == (int) whole ? (Object) Integer.valueOf((int) whole) : (Object) Long.valueOf(whole);
            }
            return value.asDouble();
        }
        if (value.isArray()) {
            return strings(value, field);
        }
        throw new ConfigException(field + ": must be a string, number, boolean or array of strings, not " + value);
    }

    private static String[] strings(JsonValue value, String field) throws ConfigException {
        if (!value.isArray()) {
            throw new ConfigException(field + ": must be an array of strings");
        }
        List<JsonValue> list = value.asArray().values();
        String[] strings = new String[list.size()];
        for (int i = 0; i < strings.length; i++) {
            if (!list.get(i).isString()) {
                throw new ConfigException(field + "[" + i + "]: arrays may only hold strings");
            }
            strings[i] = list.get(i).asString();
        }
        return strings;
    }
}
