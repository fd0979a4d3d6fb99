package io.cxr4j.cli;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest ("dev" when run from classes). */
public final class Version implements IVersionProvider {
    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"cxr4j " + get(), "Research tool, not a diagnostic device."};
    }
}
