package io.opcscraper.milo.jca;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;

import org.eclipse.milo.opcua.stack.core.security.SecurityAlgorithm;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Milo 0.6 signs and verifies Aes256_Sha256_RsaPss with {@code Signature.getInstance("SHA256withRSA/PSS")},
 * a Bouncy Castle algorithm name the JDK providers do not know (they call it RSASSA-PSS and need
 * explicit parameters). Without a JCA provider that knows the name, every OpenSecureChannel on that
 * policy fails with "SHA256withRSA/PSS Signature not available", on the server and on a Milo client.
 *
 * <p>So when that policy is used and the name is unknown, this registers Bouncy Castle
 * (the copy inside this bundle, loaded by name through Milo's class loader, so that no
 * {@code org.bouncycastle} package is exported) as a JVM-wide JCA provider, appended after
 * the JDK's providers. This is JVM-wide: a Milo client in the same JVM then gets RSA-PSS too.
 */
public final class JcaProviders {

    private static final Logger LOG = LoggerFactory.getLogger(JcaProviders.class);
    private static final String BOUNCY_CASTLE = "org.bouncycastle.jce.provider.BouncyCastleProvider";

    private JcaProviders() {
    }

    /** Makes sure Aes256_Sha256_RsaPss can sign and verify in this JVM (see the class comment). */
    public static synchronized void ensureRsaPss() {
        String algorithm = SecurityAlgorithm.RsaSha256Pss.getTransformation();
        if (available(algorithm)) {
            return;
        }
        Provider provider;
        try {
            provider = (Provider) Class.forName(BOUNCY_CASTLE, true, SecurityPolicy.class.getClassLoader())
                .getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            throw new IllegalStateException(SecurityPolicy.Aes256_Sha256_RsaPss + " needs a JCA provider of "
                + algorithm + " and Bouncy Castle could not be loaded from Milo's class loader", e);
        }
        Security.addProvider(provider);
        if (!available(algorithm)) {
            throw new IllegalStateException("registered " + provider.getName() + " but " + algorithm
                + " is still unavailable");
        }
        LOG.warn("Registered JCA provider {} {} JVM-wide (appended after the JDK providers): Milo 0.6 needs {} for "
                + "security policy {}. Every Milo client in this JVM now has it too.",
            provider.getName(), provider.getVersionStr(), algorithm, SecurityPolicy.Aes256_Sha256_RsaPss);
    }

    private static boolean available(String algorithm) {
        try {
            Signature.getInstance(algorithm);
            return true;
        } catch (NoSuchAlgorithmException e) {
            return false;
        }
    }
}
