package io.gatehouse.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (set by the build), with the Java runtime it runs on. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Gatehouse.class.getPackage().getImplementationVersion();
        return new String[] {
            "gatehouse " + (v != null ? v : "(development build)"),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
        };
    }
}
