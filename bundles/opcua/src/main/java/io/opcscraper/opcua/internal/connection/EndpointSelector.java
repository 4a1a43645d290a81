package io.opcscraper.opcua.internal.connection;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;

/**
 * Chooses the endpoint a session uses from what the server offers. {@code auto} for the policy
 * or the mode means the strongest offered: the highest mode (SignAndEncrypt, Sign, None), then
 * the server's own security level, then the newer policy.
 */
final class EndpointSelector {

    private static final List<String> POLICY_STRENGTH = List.of("None", "Basic128Rsa15", "Basic256",
            "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss");

    private EndpointSelector() {
    }

    static Optional<EndpointDescription> select(List<EndpointDescription> offered, String policy, String mode) {
        return offered.stream()
                .filter(e -> e.getEndpointUrl() != null && e.getEndpointUrl().startsWith("opc.tcp:"))
                .filter(e -> "auto".equals(policy) || policyName(e).equals(policy))
                .filter(e -> "auto".equals(mode) || e.getSecurityMode().name().equals(mode))
                .filter(e -> POLICY_STRENGTH.contains(policyName(e)))
                .max(Comparator.<EndpointDescription>comparingInt(e -> modeStrength(e.getSecurityMode()))
                        .thenComparingInt(e -> e.getSecurityLevel() == null ? 0 : e.getSecurityLevel().intValue())
                        .thenComparingInt(e -> POLICY_STRENGTH.indexOf(policyName(e))));
    }

    /** Our name of the endpoint's policy ("Basic256Sha256"), or its URI when unknown to Milo. */
    static String policyName(EndpointDescription endpoint) {
        return SecurityPolicy.fromUriSafe(endpoint.getSecurityPolicyUri()).map(Enum::name)
                .orElse(String.valueOf(endpoint.getSecurityPolicyUri()));
    }

    /** "Basic256Sha256/SignAndEncrypt", for log lines. */
    static String describe(EndpointDescription endpoint) {
        return policyName(endpoint) + "/" + endpoint.getSecurityMode();
    }

    private static int modeStrength(MessageSecurityMode mode) {
        switch (mode) {
        case SignAndEncrypt:
            return 3;
        case Sign:
            return 2;
        case None:
            return 1;
        default:
            return 0;
        }
    }
}
