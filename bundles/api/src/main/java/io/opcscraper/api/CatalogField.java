package io.opcscraper.api;

import java.util.Objects;

/**
 * One leaf of a Variable whose value is a structure: a numeric or Boolean field, at any depth,
 * that becomes one row per value read.
 *
 * @param path what a row's tag name adds to the variable's tag name: {@code .Field} per level
 *        ({@code .Status.Current}), {@code []} where an array index goes ({@code [].Position} for
 *        an array of structures, {@code .Temperatures[]} for an array in a field); a row carries
 *        the index itself ({@code Axes[3].Position})
 * @param dataType the field's data type: its name ("Double", "Boolean", ...) when built in, else
 *        its node id (an enumeration's id: its rows hold the integer)
 * @param engineeringUnit the engineering unit's display name where the server gives one for this
 *        field, else {@code null}
 */
public record CatalogField(String path, String dataType, String engineeringUnit) {

    public CatalogField {
        Objects.requireNonNull(path, "path");
    }
}
