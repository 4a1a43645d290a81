/**
 * The emulator's components and their helpers: the CryptoService ({@code AesCryptoService}, its key
 * in {@code AesKeyFile}), the configuration front door ({@code KuraConfiguratorImpl}), the snapshots
 * ({@code KuraSnapshotsImpl}: the file format in {@code SnapshotFile} and {@code KuraScalar}, the
 * directory in {@code SnapshotDirectory}), the metatype look-ups they share ({@code FactoryMetatypes})
 * and the places under Kura's home ({@code KuraPaths}).
 */
package io.opcscraper.kura.emulator.internal;
