package io.gatehouse.runtime.jvm;

import io.gatehouse.app.App;
import io.gatehouse.app.AppContext;
import io.gatehouse.app.Middleware;
import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigScope;
import io.gatehouse.spi.runtime.AppRuntime;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code jvm} runtime: an {@link App} class loaded in a class loader of its own (from {@code classpath:}, with
 * Gatehouse's app API shared from the parent), wrapped by its middleware, served by pool threads in-process.
 */
public final class JvmRuntime implements AppRuntime<JvmOptions> {

    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public Class<JvmOptions> optionsType() {
        return JvmOptions.class;
    }

    @Override
    public void validate(JvmOptions options, AppConfig app, ConfigScope where) {
        ConfigScope at = where.pinned(); // reported where the app starts
        if (options.nonBlocking() && !app.harakiri().isZero()) {
            at.key("non-blocking").error("a non-blocking app runs on the I/O threads, which harakiri can't abandon; "
                    + "remove harakiri or non-blocking");
        }
        for (int i = 0; i < options.classpath().size(); i++) {
            String entry = options.classpath().get(i);
            Path p = RuntimeContext.resolve(app, entry.endsWith("/*") ? entry.substring(0, entry.length() - 2) : entry);
            if (!Files.exists(p)) {
                at.key("classpath").item(i).error("no such file or directory: " + p);
            }
        }
    }

    /**
     * Resolves the class path only: loading the class and running {@code init} happen as the first worker boots, so
     * an app that fails there is a failed worker start, retried with backoff like a Python import error.
     */
    @Override
    public WorkerFactory prepare(AppConfig app, JvmOptions options, RuntimeContext context) throws Exception {
        return new JvmWorkerFactory(app, options, urls(app, options.classpath()));
    }

    /** Loads the app in a class loader of its own, runs its init and wraps it in its middleware. */
    static JvmWorkerFactory.Loaded load(AppConfig app, JvmOptions options, URL[] urls) throws Exception {
        URLClassLoader loader = new URLClassLoader("app:" + app.name(), urls, App.class.getClassLoader());
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            AppContext appContext = new JvmAppContext(app.name(), app.mount(), Map.copyOf(options.settings()));
            App target = instantiate(loader, options.className(), App.class);
            target.init(appContext);
            App wrapped = target;
            List<String> middleware = options.middleware();
            for (int i = middleware.size() - 1; i >= 0; i--) {
                wrapped = instantiate(loader, middleware.get(i), Middleware.class).wrap(wrapped, appContext);
            }
            return new JvmWorkerFactory.Loaded(wrapped, target, loader);
        } catch (Exception | LinkageError e) {
            loader.close();
            throw e;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static <T> T instantiate(ClassLoader loader, String className, Class<T> type) throws Exception {
        Class<?> c;
        try {
            c = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException("class " + className + " not found on the app's classpath", e);
        }
        if (!type.isAssignableFrom(c)) {
            throw new IllegalArgumentException(className + " does not implement " + type.getName());
        }
        return type.cast(c.getDeclaredConstructor().newInstance());
    }

    private static URL[] urls(AppConfig app, List<String> classpath) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath) {
            if (entry.endsWith("/*")) {
                Path dir = RuntimeContext.resolve(app, entry.substring(0, entry.length() - 2));
                try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
                    List<Path> sorted = new ArrayList<>();
                    jars.forEach(sorted::add);
                    sorted.sort(null);
                    for (Path jar : sorted) {
                        urls.add(toUrl(jar));
                    }
                }
            } else {
                urls.add(toUrl(RuntimeContext.resolve(app, entry)));
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static URL toUrl(Path p) throws MalformedURLException {
        return p.toUri().toURL();
    }

    private record JvmAppContext(String name, String mount, Map<String, String> settings) implements AppContext {
    }
}
