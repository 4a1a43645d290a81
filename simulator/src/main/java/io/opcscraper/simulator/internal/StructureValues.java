package io.opcscraper.simulator.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opcscraper.simulator.internal.StructureModel.Field;
import io.opcscraper.simulator.internal.StructureModel.Type;

/**
 * The values of the plant's structure variables: like every plant value, a function of the node's
 * seed and the period k. A field added at run time ({@code PlantServer.extendStructureType}) is a
 * Double of k.
 */
final class StructureValues {

    private StructureValues() {
    }

    /** A Motor; its optional Torque is there in even periods when {@code withTorque}. */
    static Map<String, Object> motor(Type type, long k, int seed, boolean withTorque) {
        Map<String, Object> motor = new LinkedHashMap<>();
        motor.put("Speed", 1450.0 + 50.0 * Math.sin(2 * Math.PI * (k / 60.0 + ValueModel.unit(seed, -1))));
        motor.put("Status", status(k, seed));
        List<Object> axes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> axis = new LinkedHashMap<>();
            axis.put("Position", k * 0.1 + i);
            axis.put("Velocity", (float) (i + 0.5));
            axes.add(axis);
        }
        motor.put("Axes", axes);
        motor.put("Temperatures", List.of(40.0 + ValueModel.unit(seed, k), 41.0 + ValueModel.unit(seed, k + 1)));
        if (withTorque && (k & 1) == 0) {
            motor.put("Torque", 12.5 + (k % 10));
        }
        motor.put("Label", "Motor " + (seed & 0xFF));
        motor.put("Limits", new double[] {0.0, 3000.0});
        motor.put("Note", "running normally");
        return extended(type, motor, k);
    }

    /** A MotorStatus (also the value of the Motor's Status component). */
    static Map<String, Object> status(long k, int seed) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("Current", 10.0 + 2.0 * ValueModel.unit(seed, k));
        status.put("State", (int) Math.floorMod(k, 3L));
        status.put("Running", Math.floorMod(k, 3L) == 1);
        return status;
    }

    /** A Reading: its Level in even periods, its Code in odd ones. */
    static Map<String, Object> reading(Type type, long k, int offset) {
        Map<String, Object> reading = new LinkedHashMap<>();
        if (((k + offset) & 1) == 0) {
            reading.put("Level", k * 0.5);
        } else {
            reading.put("Code", (int) Math.floorMod(k, 100L));
        }
        return extended(type, reading, k);
    }

    /** A value of any other plant structure: every field a Double of k (the broken type's too). */
    static Map<String, Object> doubles(Type type, long k, int seed) {
        Map<String, Object> value = new LinkedHashMap<>();
        int i = 0;
        for (Field field : type.fields()) {
            value.put(field.name(), k + i++ + (seed & 0xFF) / 256.0);
        }
        return value;
    }

    /** The fields added at run time, after the type's own (a union's new member is never chosen). */
    private static Map<String, Object> extended(Type type, Map<String, Object> value, long k) {
        if (type.kind() == StructureModel.Kind.UNION) {
            return value;
        }
        for (Field field : type.fields()) {
            if (!value.containsKey(field.name()) && !field.optional()) {
                value.put(field.name(), k * 0.5 + 1.0);
            }
        }
        return value;
    }
}
