package io.gatehouse.runtime.jvm;

import io.gatehouse.config.Key;
import io.gatehouse.config.Required;
import java.util.List;
import java.util.Map;

/**
 * The {@code runtime: jvm} keys of an app.
 *
 * @param className      {@code class}: the {@link io.gatehouse.app.App} implementation to load
 * @param classpath      directories, jars and {@code dir/*} jar globs, relative to the config file
 * @param middleware     {@link io.gatehouse.app.Middleware} classes, outermost first
 * @param settings       strings handed to the app (and its middleware) at init
 * @param virtualThreads run requests on virtual threads (JDK 21 and newer; ignored with a warning before)
 * @param nonBlocking    the app never blocks: a request whose body has arrived runs on the I/O thread that read it
 */
public record JvmOptions(@Key("class") @Required String className, List<String> classpath, List<String> middleware,
        Map<String, String> settings, boolean virtualThreads,
        boolean nonBlocking) {
}
