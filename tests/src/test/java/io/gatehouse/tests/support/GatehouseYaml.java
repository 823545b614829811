package io.gatehouse.tests.support;

/** Gatehouse config text as the tests write it: a JVM app's entry, and a site of one HTTP listener and its apps. */
public final class GatehouseYaml {
    private GatehouseYaml() {
    }

    /**
     * A JVM app entry (a list item under {@code apps:}) mounting {@code app} at {@code mount}, with the classpath its
     * class is built into: the example's classes or the tests' own.
     */
    public static String jvmApp(String name, String mount, Class<?> app) {
        boolean example = app.getPackageName().startsWith("io.gatehouse.examples");
        return """
                - name: %s
                  runtime: jvm
                  mount: %s
                  class: %s
                  classpath: [%s]
                """.formatted(name, mount, app.getName(),
                example ? GatehouseProcess.exampleClasses() : GatehouseProcess.testClasses());
    }

    /** A config with one HTTP listener, named web, on 127.0.0.1:{@code port}, and {@code apps} (list items). */
    public static String httpSite(int port, String apps) {
        return """
                listeners:
                  - name: web
                    protocol: http
                    bind: 127.0.0.1:%d
                apps:
                %s""".formatted(port, apps.indent(2));
    }
}
