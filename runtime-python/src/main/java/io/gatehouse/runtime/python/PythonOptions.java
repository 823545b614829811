package io.gatehouse.runtime.python;

import io.gatehouse.config.ConfigValueException;
import io.gatehouse.config.Default;
import io.gatehouse.config.Key;
import io.gatehouse.config.Max;
import io.gatehouse.config.Min;
import io.gatehouse.config.ProcessEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code runtime: python} keys of an app (docs/runtimes/python.md).
 *
 * @param module      {@code pkg.mod} or {@code pkg.mod:callable}, imported from sys.path; or else wsgiFile
 * @param wsgiFile    {@code wsgi-file}: a Python source file defining the callable (any extension, e.g. .wsgi)
 * @param callable    the callable's name when {@code module} does not give it; default {@code application}
 * @param python      the interpreter: a path, or a command looked up on PATH; default {@code python3}
 * @param home        a virtualenv whose {@code bin/python} runs the app; excludes {@code python}
 * @param chdir       the workers' working directory; default the wsgi-file's directory, else the config file's
 * @param pythonpath  directories put first on sys.path, in order
 * @param env         environment variables added to the workers' environment
 * @param preload     import the app once in the fork server and fork workers from it (copy-on-write)
 * @param heartbeat   how often idle worker connections are pinged; a worker that misses a ping is replaced; 0 off
 * @param prefetch    requests sent ahead to each busy worker thread when every thread is busy; 0 off
 * @param appInterface {@code interface}: how the callable is called, WSGI or ASGI; null to detect (WSGI unless the
 *                    callable is unambiguously ASGI)
 * @param concurrency ASGI: requests each worker runs at once on its event loop; null for the default
 * @param lifespan    ASGI: whether the lifespan scope runs; null for the default ({@code auto})
 * @param harakiriGrace ASGI: how long a worker's event loop has to answer after harakiri cancels a task before the
 *                    worker, its loop blocked, is killed
 */
public record PythonOptions(String module, String wsgiFile, String callable, String python, String home,
        String chdir, List<String> pythonpath, Map<String, String> env, boolean preload,
        @Default("30s") @Min(0) Duration heartbeat, @Default("0") @Min(0) @Max(16) int prefetch,
        @Key("interface") Interface appInterface, @Min(1) @Max(10000) Integer concurrency, Lifespan lifespan,
        @Default("3s") @Min(1) Duration harakiriGrace) {

    /** How the worker calls the app's callable. */
    public enum Interface {
        /** PEP 3333: {@code application(environ, start_response)}, one request per thread. */
        WSGI,
        /** ASGI 3 (or an ASGI 2 double callable): {@code await application(scope, receive, send)} on an event loop. */
        ASGI
    }

    /** Whether an ASGI app's lifespan scope runs (uvicorn's {@code --lifespan}). */
    public enum Lifespan {
        /** Runs it; an app that fails or returns before answering startup does without it. */
        AUTO,
        /** Runs it; an app that does not answer startup fails to start. */
        ON,
        /** Never runs it. */
        OFF
    }

    /** ASGI requests a worker runs at once when {@code concurrency} is not set. */
    public static final int DEFAULT_CONCURRENCY = 100;

    /** The callable's name when neither {@code module} nor {@code callable} gives one (uWSGI's and mod_wsgi's). */
    public static final String DEFAULT_CALLABLE = "application";
    /** The interpreter when neither {@code python} nor {@code home} is set. */
    public static final String DEFAULT_PYTHON = "python3";

    private static final String IDENTIFIER = "[\\p{L}_][\\p{L}\\p{N}_]*";
    private static final Pattern MODULE = Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")*(:" + IDENTIFIER + ")?");
    private static final Pattern NAME = Pattern.compile(IDENTIFIER);

    public PythonOptions {
        if (module == null && wsgiFile == null) {
            throw new ConfigValueException("module", "an app of runtime python needs 'module' (pkg.mod:callable) "
                    + "or 'wsgi-file'");
        }
        if (module != null && wsgiFile != null) {
            throw new ConfigValueException("wsgi-file", "give either 'module' or 'wsgi-file', not both");
        }
        if (module != null && !MODULE.matcher(module).matches()) {
            throw new ConfigValueException("module", "expected a dotted module name with an optional :callable, "
                    + "such as 'mysite.wsgi' or 'app:server', got '" + module + "'");
        }
        if (callable != null && !NAME.matcher(callable).matches()) {
            throw new ConfigValueException("callable", "expected a Python identifier, got '" + callable + "'");
        }
        if (callable != null && module != null && module.indexOf(':') >= 0) {
            throw new ConfigValueException("callable", "the module '" + module + "' already names its callable");
        }
        if (python != null && home != null) {
            throw new ConfigValueException("home", "give either 'python' or 'home', not both");
        }
        if (python != null && python.isBlank()) {
            throw new ConfigValueException("python", "must not be empty");
        }
        ProcessEnvironment.check(env);
        if (appInterface == Interface.WSGI && concurrency != null) {
            throw new ConfigValueException("concurrency", "is for ASGI apps; a WSGI app runs as many requests at once "
                    + "as it has threads");
        }
        if (appInterface == Interface.WSGI && lifespan != null) {
            throw new ConfigValueException("lifespan", "is for ASGI apps (interface: asgi)");
        }
        if (appInterface == Interface.ASGI && prefetch > 0) {
            throw new ConfigValueException("prefetch", "is for WSGI apps; an ASGI worker runs up to 'concurrency' "
                    + "requests at once instead");
        }
        pythonpath = List.copyOf(pythonpath);
    }

    /** ASGI: the requests a worker runs at once. */
    public int asgiConcurrency() {
        return concurrency != null ? concurrency : DEFAULT_CONCURRENCY;
    }

    /** ASGI: the lifespan mode in force. */
    public Lifespan lifespanMode() {
        return lifespan != null ? lifespan : Lifespan.AUTO;
    }

    /** The module to import ({@code module} without its callable), or null for a wsgi-file. */
    public String moduleName() {
        if (module == null) {
            return null;
        }
        int colon = module.indexOf(':');
        return colon < 0 ? module : module.substring(0, colon);
    }

    /** The name of the WSGI callable. */
    public String callableName() {
        int colon = module == null ? -1 : module.indexOf(':');
        if (colon >= 0) {
            return module.substring(colon + 1);
        }
        return callable != null ? callable : DEFAULT_CALLABLE;
    }
}
