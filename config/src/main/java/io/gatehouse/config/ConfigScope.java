package io.gatehouse.config;

import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A place in a loaded config, such as {@code apps[1]} or {@code apps[1].pythonpath[2]}: its key path and where it
 * was written. Checks beyond a record's own (a protocol's, a runtime's, the engine's) report their mistakes here, so
 * they read {@code file:line:col: key.path: message} and join the loader's in one list.
 *
 * <p>A key or item that was not written is placed where its parent is; a top-level key, at the file as a whole.
 */
public final class ConfigScope {

    private final ConfigNode node;
    private final Location location;
    private final String path;
    private final boolean pinned;
    private final Problems problems;

    private ConfigScope(ConfigNode node, Location location, String path, boolean pinned, Problems problems) {
        this.node = node;
        this.location = location;
        this.path = path;
        this.pinned = pinned;
        this.problems = problems;
    }

    /** The scope of a whole document, whose mistakes go to {@code problems}. */
    static ConfigScope document(MapNode root, Problems problems) {
        return new ConfigScope(root, Location.ofFile(root.location().file()), "", false, problems);
    }

    /** The value of {@code key} in this mapping, placed where that value was written. */
    public ConfigScope key(String key) {
        Objects.requireNonNull(key, "key");
        ConfigNode value = node instanceof MapNode map ? map.get(key) : null;
        return child(value, KeyPath.child(path, key));
    }

    /**
     * Item {@code index} (from 0) of this list, placed where the item was written. A single value, which binds
     * as a one-item list, stands for its item 0's place.
     */
    public ConfigScope item(int index) {
        ConfigNode value = node instanceof ListNode list && index >= 0 && index < list.items().size()
                ? list.items().get(index) : null;
        return child(value, KeyPath.index(path, index));
    }

    private ConfigScope child(ConfigNode value, String childPath) {
        Location at = value == null || pinned ? location : value.location();
        return new ConfigScope(value, at, childPath, pinned, problems);
    }

    /**
     * This scope with every key and item under it placed here rather than where each was written: for a check
     * that names a key but reports it where the enclosing app or listener starts.
     */
    public ConfigScope pinned() {
        return new ConfigScope(node, location, path, true, problems);
    }

    /** Records a mistake at this place: {@code file:line:col: key.path: message}. */
    public void error(String message) {
        problems.add(location, path, Objects.requireNonNull(message, "message"));
    }

    /** Records a warning at this place: legal, but probably not what was meant; it does not fail the load. */
    public void warning(String message) {
        problems.warn(location, path, Objects.requireNonNull(message, "message"));
    }

    /**
     * Binds the keys an app or listener left to its runtime or protocol to that one's options record, reporting
     * every mistake under this scope's path.
     *
     * @param keys the app's or listener's {@code options()}; null stands for none
     * @return the options, or null when a value had a mistake (already recorded here). An unknown key beside
     *     good values is reported but still yields the options, so the runtime's or protocol's own checks (a file
     *     that must exist) run too and one {@code check} reports every mistake.
     */
    public <T extends Record> T bind(OptionKeys keys, Class<T> type) {
        MapNode map = keys != null ? keys.node() : MapNode.empty(location);
        int before = problems.valueCount();
        T options = Binder.bind(map, type, path, problems);
        return problems.valueCount() == before ? options : null;
    }

    /**
     * Whether a mistake was already recorded at this place or under it: a check that compares values (two apps on
     * one mount) skips a value that failed, which holds a stand-in that would only cause a second, false error.
     */
    public boolean failed() {
        return problems.failed(path);
    }

    /**
     * Binds like {@link #bind} and runs {@code checks} (a runtime's or protocol's: files that must exist) on the
     * options, also when a value had a mistake, so that one run reports every mistake. The options then hold
     * stand-ins for the values that failed (their defaults, or null): what the checks report about a key that failed
     * is dropped, and an exception a stand-in causes counts as the mistake already reported.
     *
     * @return the options, or null when a value had a mistake, as {@link #bind} returns them
     */
    public <T extends Record> T bindAndCheck(OptionKeys keys, Class<T> type, BiConsumer<T, ConfigScope> checks) {
        MapNode map = keys != null ? keys.node() : MapNode.empty(location);
        int before = problems.valueCount();
        T options = Binder.bind(map, type, path, problems);
        if (options == null) {
            return null;
        }
        if (problems.valueCount() == before) {
            checks.accept(options, this);
            return options;
        }
        Problems aside = new Problems();
        try {
            checks.accept(options, new ConfigScope(node, location, path, pinned, aside));
        } catch (RuntimeException standInTrippedIt) {
            // The value it stood in for is reported already.
        }
        aside.errors().stream().filter(e -> !problems.failed(e.path())).forEach(problems::add);
        return null;
    }

    /** Whether this key or item was written in the file (a YAML null counts as written). */
    public boolean written() {
        return node != null;
    }

    /** Where this key's value was written, or where its nearest written parent was. */
    public Location location() {
        return location;
    }

    /** The key path as messages show it, e.g. {@code apps[1].wsgi-file}; empty for the document. */
    public String path() {
        return path;
    }

    @Override
    public String toString() {
        return location + ": " + path;
    }
}
