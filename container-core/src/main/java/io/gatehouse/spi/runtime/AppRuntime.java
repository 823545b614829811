package io.gatehouse.spi.runtime;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigScope;

/**
 * A kind of app (jvm, python, cgi, static), found with {@link java.util.ServiceLoader}; an app's {@code runtime:}
 * key selects it by {@link #name()}. The runtime owns the app's runtime-specific options and makes its workers;
 * the pool gives every runtime the same supervision.
 *
 * @param <O> the runtime's options record, bound from the app's runtime-specific YAML keys
 */
public interface AppRuntime<O extends Record> {

    /** The name used in the config, e.g. "jvm", "python". */
    String name();

    /** The options record bound from the app's runtime-specific keys. */
    Class<O> optionsType();

    /**
     * Checks beyond the record's own (a file that must exist, a class name's form), each mistake reported to
     * {@code where}, the app's place in the config: {@code where.key("wsgi-file").error("no such file: ...")}.
     * Also called when another of the app's values had a mistake, so that one check reports all: {@code options}
     * then holds stand-ins (the default, or null for a required key) for the values that failed.
     */
    default void validate(O options, AppConfig app, ConfigScope where) {
    }

    /**
     * Whether the app's requests run in processes of its own (python, cgi), which an app's {@code user},
     * {@code group} and {@code limits} apply to; an in-process runtime (jvm, static) runs inside the master.
     */
    default boolean separateProcesses() {
        return false;
    }

    /**
     * Whether the app's workers hold code they loaded (a Python module, JVM classes, a CGI script's workers), so
     * that a reload replaces them to load new code; false for a runtime whose workers only read files, such as
     * static files, which a reload leaves alone unless their config changed.
     */
    default boolean loadsCode() {
        return true;
    }

    /** Loads what the app's workers share (class loader, fork server) and returns their factory. */
    WorkerFactory prepare(AppConfig app, O options, RuntimeContext context) throws Exception;
}
