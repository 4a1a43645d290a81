package org.eclipse.kura;

/**
 * The subset of Kura's error codes that OPC Scraper uses. Kura's enum has more constants;
 * only adding constants keeps this compatible.
 */
public enum KuraErrorCode {
    CONFIGURATION_ERROR,
    CONFIGURATION_ATTRIBUTE_INVALID,
    CONFIGURATION_REQUIRED_ATTRIBUTE_MISSING,
    INTERNAL_ERROR,
    NOT_CONNECTED,
    TIMED_OUT,
    CONNECTION_FAILED,
    STORE_ERROR,
    INVALID_PARAMETER,
    SERVICE_UNAVAILABLE,
    IO_ERROR,
    DECODER_ERROR,
    ENCODE_ERROR
}
