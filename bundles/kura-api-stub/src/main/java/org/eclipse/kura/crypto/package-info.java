/**
 * Stand-in for {@code org.eclipse.kura.crypto} as exported by Kura 5.4 to 6.0 (1.3.0).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.eclipse.kura.crypto;
