package io.gatehouse.runtime.cgi;

import io.gatehouse.config.Default;
import io.gatehouse.config.ProcessEnvironment;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code runtime: cgi} keys of an app.
 *
 * @param root           a directory of scripts: the first path segments naming a file select the script
 * @param script         one script serving the whole mount (instead of {@code root})
 * @param interpreters   interpreter per file extension (".py": /usr/bin/python3); others must be executable
 * @param timeout        longest a script may run before it is killed (SIGTERM, then SIGKILL)
 * @param env            environment variables for every script, PATH among them (else {@link CgiEnvironment#PATH})
 * @param followSymlinks run scripts reached through symbolic links that lead outside {@code root} (off: 403)
 */
public record CgiOptions(String root, String script, Map<String, String> interpreters,
        @Default("60s") Duration timeout, Map<String, String> env, boolean followSymlinks) {

    public CgiOptions {
        if ((root == null) == (script == null)) {
            throw new IllegalArgumentException("exactly one of 'root' and 'script' is required");
        }
        ProcessEnvironment.check(env);
    }
}
