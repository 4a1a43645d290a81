/**
 * The writer's schema: the names and the table-name rule ({@code TableNames}), the DDL per edition
 * ({@code SchemaDdl}, {@code SchemaSettings}), the edition of a database ({@code Edition}), and
 * provisioning under advisory locks ({@code SchemaProvisioner}). See {@code docs/schema.md}.
 */
package io.opcscraper.timescale.internal.schema;
