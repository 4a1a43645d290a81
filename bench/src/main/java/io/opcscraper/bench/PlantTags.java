package io.opcscraper.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The identifiers of the simulator's sensor variables, computed the way the simulator lays them out
 * (its PlantServer documentation): 4 variables per sensor (Temperature, Pressure, Running, Count), 10
 * sensors per machine, 10 machines per line, numbered from 01; the node id string is the browse path
 * below Objects, e.g. {@code Plant/Line01/Machine03/Sensor07/Temperature}.
 */
final class PlantTags {

    static final String NAMESPACE_URI = "urn:opcscraper:simulator:plant";
    static final String[] VARIABLES = {"Temperature", "Pressure", "Running", "Count"};

    /** One tag: the node id's string identifier, its sensor (object) name and its tag name. */
    record Tag(String identifier, String sensorName, String tagName) {
        /** The node id as the gateway stores it: {@code nsu=URI;s=IDENTIFIER}. */
        String nodeId() {
            return "nsu=" + NAMESPACE_URI + ";s=" + identifier;
        }
    }

    private PlantTags() {
    }

    static List<Tag> first(int tags) {
        List<Tag> list = new ArrayList<>(tags);
        for (int i = 0; i < tags; i++) {
            int sensor = i / VARIABLES.length;
            int machine = sensor / 10;
            int line = machine / 10;
            String sensorName = "Sensor" + twoDigits(sensor % 10 + 1);
            String path = "Plant/Line" + twoDigits(line + 1) + "/Machine" + twoDigits(machine % 10 + 1) + "/"
                + sensorName + "/" + VARIABLES[i % VARIABLES.length];
            list.add(new Tag(path, sensorName, VARIABLES[i % VARIABLES.length]));
        }
        return list;
    }

    private static String twoDigits(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
