/**
 * What the components take from Kura's services: decryption of Password properties
 * ({@link io.opcscraper.config.kura.CryptoSecretDecoder}) and the gateway's identity
 * ({@link io.opcscraper.config.kura.GatewayIdentity}).
 */
package io.opcscraper.config.kura;
