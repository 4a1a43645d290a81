/**
 * Structured values: the descriptions of a server's structure types (1.04 DataTypeDefinitions,
 * 1.03 data type dictionaries, the OPC UA dictionary Milo ships), read once per browse
 * ({@code StructureTypeLoader}), compiled into layouts ({@code TypeCompiler}), and the decoder that
 * turns a value's binary body into numeric leaves ({@code StructureTypes#decode}). Bounded in bytes.
 */
package io.opcscraper.opcua.internal.structure;
