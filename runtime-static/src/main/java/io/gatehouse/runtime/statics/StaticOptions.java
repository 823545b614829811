package io.gatehouse.runtime.statics;

import io.gatehouse.config.Default;
import io.gatehouse.config.Required;
import java.time.Duration;
import java.util.List;

/**
 * The {@code runtime: static} keys of an app.
 *
 * @param root           the directory served; relative to the config file
 * @param index          file names tried, in order, for a request naming a directory
 * @param maxAge         Cache-Control max-age sent with every file (0 = no Cache-Control)
 * @param followSymlinks serve symbolic links that lead outside {@code root} (off: such links are 403)
 */
public record StaticOptions(@Required String root, @Default("index.html") List<String> index,
        @Default("0") Duration maxAge, boolean followSymlinks) {
}
