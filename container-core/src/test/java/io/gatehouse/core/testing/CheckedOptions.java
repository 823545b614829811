package io.gatehouse.core.testing;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ConfigScope;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.LoadedConfig;
import io.gatehouse.core.master.ResolvedConfig;
import io.gatehouse.spi.protocol.Protocol;
import io.gatehouse.spi.runtime.AppRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The first app or listener of a config and its own options, bound and checked by its runtime or protocol as
 * {@code gatehouse check} does; a mistake anywhere throws one {@link ConfigException} with all of them.
 *
 * @param config  the app's or listener's generic config
 * @param options its runtime's or protocol's options
 */
public record CheckedOptions<C, O extends Record>(C config, O options) {

    /** The first app of a config file and its options under {@code runtime}. */
    public static <O extends Record> CheckedOptions<AppConfig, O> firstApp(AppRuntime<O> runtime, Path file) {
        return first(checks -> ConfigLoader.load(file, Map.of(), checks), GatehouseConfig::apps, "apps",
                (app, where) -> ResolvedConfig.bindApp(runtime, app, where));
    }

    /** The first app of YAML text read as if from {@code pretendFile}, and its options under {@code runtime}. */
    public static <O extends Record> CheckedOptions<AppConfig, O> firstApp(AppRuntime<O> runtime, String yaml,
            Path pretendFile) {
        return first(checks -> ConfigLoader.parse(yaml, pretendFile, Map.of(), checks), GatehouseConfig::apps,
                "apps", (app, where) -> ResolvedConfig.bindApp(runtime, app, where));
    }

    /** The first listener of YAML text read as if from {@code pretendFile}, and its options under {@code protocol}. */
    public static <O extends Record> CheckedOptions<ListenerConfig, O> firstListener(Protocol<O> protocol, String yaml,
            Path pretendFile) {
        return first(checks -> ConfigLoader.parse(yaml, pretendFile, Map.of(), checks), GatehouseConfig::listeners,
                "listeners", (listener, where) -> ResolvedConfig.bindListener(protocol, listener, where));
    }

    /** The mistakes {@link #firstApp(AppRuntime, Path)} finds, one {@code file:line:col: path: message} each. */
    public static List<String> appErrors(AppRuntime<?> runtime, Path file) {
        return errors(() -> firstApp(runtime, file));
    }

    /** The mistakes {@link #firstListener} finds, one {@code file:line:col: path: message} each. */
    public static List<String> listenerErrors(Protocol<?> protocol, String yaml, Path pretendFile) {
        return errors(() -> firstListener(protocol, yaml, pretendFile));
    }

    private static List<String> errors(Runnable check) {
        try {
            check.run();
            return List.of();
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
    }

    private static <C, O extends Record> CheckedOptions<C, O> first(
            Function<BiConsumer<GatehouseConfig, ConfigScope>, LoadedConfig> load,
            Function<GatehouseConfig, List<C>> list, String key, BiFunction<C, ConfigScope, O> bind) {
        AtomicReference<O> options = new AtomicReference<>();
        LoadedConfig loaded = load.apply((config, where) -> {
            C first = list.apply(config).get(0);
            if (first != null) {
                options.set(bind.apply(first, where.key(key).item(0)));
            }
        });
        return new CheckedOptions<>(list.apply(loaded.config()).get(0), options.get());
    }
}
