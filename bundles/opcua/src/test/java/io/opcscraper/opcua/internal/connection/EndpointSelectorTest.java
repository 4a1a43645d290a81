package io.opcscraper.opcua.internal.connection;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.junit.jupiter.api.Test;

class EndpointSelectorTest {

    private static final List<EndpointDescription> OFFERED = List.of(
            endpoint(SecurityPolicy.None, MessageSecurityMode.None, 0),
            endpoint(SecurityPolicy.Basic256Sha256, MessageSecurityMode.Sign, 2),
            endpoint(SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, 3),
            endpoint(SecurityPolicy.Aes256_Sha256_RsaPss, MessageSecurityMode.SignAndEncrypt, 3),
            endpoint(SecurityPolicy.Basic128Rsa15, MessageSecurityMode.SignAndEncrypt, 1));

    @Test
    void autoPicksTheStrongestOffered() {
        EndpointDescription chosen = EndpointSelector.select(OFFERED, "auto", "auto").orElseThrow();
        assertEquals("Aes256_Sha256_RsaPss/SignAndEncrypt", EndpointSelector.describe(chosen));
    }

    @Test
    void aPolicyWithAutoModePicksItsStrongestMode() {
        assertEquals("Basic256Sha256/SignAndEncrypt",
                EndpointSelector.describe(EndpointSelector.select(OFFERED, "Basic256Sha256", "auto").orElseThrow()));
        assertEquals("Basic256Sha256/Sign",
                EndpointSelector.describe(EndpointSelector.select(OFFERED, "Basic256Sha256", "Sign").orElseThrow()));
        assertEquals("None/None", EndpointSelector.describe(EndpointSelector.select(OFFERED, "auto", "None").orElseThrow()));
    }

    @Test
    void nothingMatchingGivesNothing() {
        assertTrue(EndpointSelector.select(OFFERED, "Aes128_Sha256_RsaOaep", "auto").isEmpty());
        assertTrue(EndpointSelector.select(List.of(), "auto", "auto").isEmpty());
    }

    private static EndpointDescription endpoint(SecurityPolicy policy, MessageSecurityMode mode, int level) {
        return new EndpointDescription("opc.tcp://h:4840", null, ByteString.NULL_VALUE, mode, policy.getUri(), null,
                "http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary", ubyte(level));
    }
}
