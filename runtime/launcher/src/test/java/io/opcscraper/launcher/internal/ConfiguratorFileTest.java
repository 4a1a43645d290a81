package io.opcscraper.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.eclipsesource.json.Json;

class ConfiguratorFileTest {

    private static final ConfiguratorFile.Lookup LOOKUP = new ConfiguratorFile.Lookup() {
        private final Map<String, String> env = Map.of("DB_URL", "jdbc:postgresql://db:5432/x", "PASSWORD", "s3cr$t\\1");

        @Override
        public String env(String name) {
            return this.env.get(name);
        }

        @Override
        public String prop(String name) {
            return "interval".equals(name) ? "250" : null;
        }
    };

    private static List<ConfiguratorFile.Instance> parse(String json) throws ConfiguratorFile.ConfigException {
        return ConfiguratorFile.parse(Json.parse(json), LOOKUP);
    }

    @Test
    void factoryConfigurationsWithTypesAndPlaceholders() throws Exception {
        List<ConfiguratorFile.Instance> instances = parse("{\":configurator:resource-version\": 1,"
                + "\"io.opcscraper.timescale.Writer~w1\": {\"jdbc.url\": \"$[env:DB_URL]\","
                + " \"db.password\": \"$[env:PASSWORD;default=x]\", \"table.name\": \"$[env:NONE;default=t_1]\","
                + " \"batch.size\": 5000, \"big\": 5000000000, \"ratio\": 0.5, \"on\": true, \"roots\": [\"i=85\"]},"
                + "\"io.opcscraper.opcua.Poller~p\": {\"interval.ms:Integer\": \"$[prop:interval;default=1000]\","
                + " \"x:Long\": 7, \"y:Boolean\": \"false\", \"z:String[]\": [\"a\", \"b\"]}}");
        assertEquals(2, instances.size());
        ConfiguratorFile.Instance writer = instances.get(0);
        assertEquals("io.opcscraper.timescale.Writer", writer.factoryPid());
        assertEquals("w1", writer.name());
        assertEquals("jdbc:postgresql://db:5432/x", writer.properties().get("jdbc.url"));
        assertEquals("s3cr$t\\1", writer.properties().get("db.password"), "replacement text taken literally");
        assertEquals("t_1", writer.properties().get("table.name"));
        assertEquals(5000, writer.properties().get("batch.size"));
        assertEquals(5_000_000_000L, writer.properties().get("big"));
        assertEquals(0.5, writer.properties().get("ratio"));
        assertEquals(Boolean.TRUE, writer.properties().get("on"));
        assertArrayEquals(new String[] {"i=85"}, (String[]) writer.properties().get("roots"));
        Map<String, Object> poller = instances.get(1).properties();
        assertEquals(250, poller.get("interval.ms"));
        assertEquals(7L, poller.get("x"));
        assertEquals(Boolean.FALSE, poller.get("y"));
        assertArrayEquals(new String[] {"a", "b"}, (String[]) poller.get("z"));
    }

    @Test
    void errorsNameTheConfigurationAndTheProperty() {
        assertMessage("{\"io.opcscraper.opcua.Poller\": {}}", "\"io.opcscraper.opcua.Poller\": expected a factory configuration");
        assertMessage("{\"a~b\": {\"interval.ms:Integer\": \"fast\"}}", "\"a~b\".interval.ms:Integer: \"fast\" is not a Integer");
        assertMessage("{\"a~b\": {\"u\": \"$[env:MISSING]\"}}", "\"a~b\".u: placeholder $[env:MISSING] has no value and no default");
        assertMessage("{\"a~b\": {\"on:Boolean\": \"yes\"}}", "\"a~b\".on:Boolean: \"yes\" is not a Boolean");
        assertMessage("{\"a~b\": {\"t:Color\": 1}}", "unsupported type \"Color\"");
        assertMessage("{\"a~b\": {\"l\": [1]}}", "\"a~b\".l[0]: arrays may only hold strings");
        assertMessage("{\"a~b\": 3}", "\"a~b\": must be an object");
        assertMessage("{\":configurator:resource-version\": 2}", "must be 1");
        assertMessage("[]", "must be a JSON object");
    }

    @Test
    void theLocalRunFileParsesWithItsDefaults() throws Exception {
        Path file = Paths.get("config/local.json");
        List<ConfiguratorFile.Instance> instances = ConfiguratorFile.read(file, new ConfiguratorFile.Lookup() {
            @Override
            public String env(String name) {
                return null;
            }

            @Override
            public String prop(String name) {
                return null;
            }
        });
        assertEquals(List.of("io.opcscraper.opcua.Connection", "io.opcscraper.opcua.Discovery",
                "io.opcscraper.timescale.Writer", "io.opcscraper.opcua.Poller"),
                instances.stream().map(ConfiguratorFile.Instance::factoryPid).toList());
        assertEquals(1000, instances.get(3).properties().get("interval.ms"));
        assertEquals("opc.tcp://127.0.0.1:48400/plant", instances.get(0).properties().get("endpoint.url"));
    }

    private static void assertMessage(String json, String expected) {
        ConfiguratorFile.ConfigException e = assertThrows(ConfiguratorFile.ConfigException.class, () -> parse(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
