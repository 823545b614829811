package io.gatehouse.core.master;

import io.gatehouse.config.AppConfig;
import io.gatehouse.spi.runtime.RuntimeContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * uWSGI's touch-reload: the files each app lists under {@code touch-reload}, one stat each per look. A file whose
 * modification time (or size, or inode) changed, or that appeared or disappeared, since the previous look reloads its
 * app. A file is first looked at when its app starts (or lists it): what it was before does not count.
 */
final class TouchReload {
    private Map<String, FileStamp> stamps = new HashMap<>();

    /** Looks at every app's files; returns the apps touched since the previous look, each with one file that was. */
    Map<String, Path> touched(AppSet apps) {
        Map<String, FileStamp> seen = new HashMap<>();
        Map<String, Path> touched = new LinkedHashMap<>();
        for (AppSet.Mounted m : apps.apps().values()) {
            AppConfig app = m.app().config();
            for (String file : app.touchReload()) {
                Path p = RuntimeContext.resolve(app, file);
                String key = app.name() + '\0' + p;
                FileStamp now = FileStamp.of(p);
                seen.put(key, now);
                if (stamps.containsKey(key) && FileStamp.changed(stamps.get(key), now)) {
                    touched.putIfAbsent(app.name(), p);
                }
            }
        }
        stamps = seen;
        return touched;
    }
}
