package io.cxr4j.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code cxr --version}: the version from {@link io.cxr4j.util.Version}. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"cxr4j " + io.cxr4j.util.Version.get(), "Research tool, not a diagnostic device."};
    }
}
