package io.gatehouse.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Loads a Gatehouse YAML file and its includes into a checked {@link GatehouseConfig}, or reports every mistake. */
public final class ConfigLoader {

    /** The keys an {@code apps-dir} file may hold; the rest of the config belongs to the main file. */
    private static final List<String> APPS_FILE_KEYS = List.of("listeners", "apps");

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
     * Loads one file of an {@code apps-dir}: only {@code listeners:} and {@code apps:} belong there (no includes:
     * each file is watched, and reloaded, on its own), checked like a main file, with {@code moreChecks} too. The
     * returned config holds defaults for everything else.
     *
     * @throws ConfigException with every mistake found
     */
    public static LoadedConfig loadAppsFile(Path file, Map<String, String> env,
            BiConsumer<GatehouseConfig, ConfigScope> moreChecks) {
        Problems problems = new Problems();
        DocumentReader reader = new DocumentReader(env, problems, false);
        MapNode root = reader.readFile(file);
        if (root != null) {
            for (MapNode.Entry entry : root.entries()) {
                if (!APPS_FILE_KEYS.contains(entry.key())) {
                    problems.add(entry.keyLocation(), entry.key(), notInAppsFile(entry.key()));
                    root = root.without(entry.key());
                }
            }
        }
        return finish(reader, root, problems, moreChecks);
    }

    private static String notInAppsFile(String key) {
        String suggestion = KeySuggestion.didYouMean(key, APPS_FILE_KEYS);
        if (!suggestion.isEmpty()) {
            return "unknown key" + suggestion;
        }
        return "an apps-dir file holds only listeners: and apps:; " + (key.equals("include")
                ? "each file is watched on its own, so it includes nothing" : key + ": belongs in the main config");
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
