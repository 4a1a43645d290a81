/** The launcher of the Kura-like runtime for local runs; private to its bundle. */
package io.opcscraper.launcher.internal;
