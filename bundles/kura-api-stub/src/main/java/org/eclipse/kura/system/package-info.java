/**
 * Stand-in for {@code org.eclipse.kura.system} as exported by Kura 5.4 and 5.5 (version 1.7.0).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.7.0")
package org.eclipse.kura.system;
