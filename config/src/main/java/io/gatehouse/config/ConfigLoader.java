package io.gatehouse.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiConsumer;

/** Loads a Gatehouse YAML file and its includes into a checked {@link GatehouseConfig}, or reports every mistake. */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** Loads {@code file}, interpolating from the process environment. */
    public static LoadedConfig load(Path file) {
        return load(file, System.getenv());
    }

    /**
     * Loads {@code file}, interpolating {@code ${VAR}} from {@code env}.
     *
     * @throws ConfigException with every mistake found, sorted by file, line and column
     */
    public static LoadedConfig load(Path file, Map<String, String> env) {
        return load(file, env, (config, where) -> { });
    }

    /**
     * Loads {@code file} like {@link #load(Path, Map)}, then hands the bound config and the document's scope to
     * {@code moreChecks} before reporting, so a caller's own checks (protocol and runtime options) join the same list
     * of mistakes. The config handed over may hold defaults or nulls where the file had errors.
     *
     * @throws ConfigException with every mistake found, the caller's included
     */
    public static LoadedConfig load(Path file, Map<String, String> env,
            BiConsumer<GatehouseConfig, ConfigScope> moreChecks) {
        Problems problems = new Problems();
        DocumentReader reader = new DocumentReader(env, problems);
        return finish(reader, reader.readFile(file), problems, moreChecks);
    }

    /**
     * Loads YAML text as if it had been read from {@code pretendFile}: messages name that file and includes are
     * looked up beside it. Meant for tests.
     *
     * @throws ConfigException with every mistake found
     */
    public static LoadedConfig parse(String yamlText, Path pretendFile, Map<String, String> env) {
        return parse(yamlText, pretendFile, env, (config, where) -> { });
    }

    /**
     * Loads YAML text like {@link #parse(String, Path, Map)} with the caller's own checks, as
     * {@link #load(Path, Map, BiConsumer)} runs them. Meant for tests.
     *
     * @throws ConfigException with every mistake found, the caller's included
     */
    public static LoadedConfig parse(String yamlText, Path pretendFile, Map<String, String> env,
            BiConsumer<GatehouseConfig, ConfigScope> moreChecks) {
        Problems problems = new Problems();
        DocumentReader reader = new DocumentReader(env, problems);
        return finish(reader, reader.readText(yamlText, pretendFile), problems, moreChecks);
    }

    private static LoadedConfig finish(DocumentReader reader, MapNode root, Problems problems,
            BiConsumer<GatehouseConfig, ConfigScope> moreChecks) {
        GatehouseConfig config = null;
        // A file that could not be read or parsed would only add "missing key" noise to the real error.
        if (root != null && !reader.broken()) {
            config = Binder.bind(root, GatehouseConfig.class, "", problems);
            if (config != null) {
                ConfigScope document = ConfigScope.document(root, problems);
                CrossChecks.check(config, document);
                BootChecks.check(config, document);
                moreChecks.accept(config, document);
            }
        }
        problems.throwIfAny();
        return new LoadedConfig(config, reader.files(), problems.warnings());
    }
}
