package io.gatehouse.cli.uwsgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The conversions of single options and the YAML they are written in. */
class UwsgiImportTest {
    @TempDir
    Path dir;

    private UwsgiImport.Result convert(String ini) throws IOException {
        return UwsgiImport.convert(Files.writeString(dir.resolve("u.ini"), "[uwsgi]\n" + ini), "uwsgi");
    }

    private static String body(UwsgiImport.Result r) {
        return r.yaml().lines().filter(l -> !l.startsWith("#") && !l.isEmpty()).map(l -> l.replaceAll(" {2,}# ", "  # "))
                .reduce("", (a, b) -> a + b + "\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/run/app.sock|unix:/run/app.sock", "app.sock|unix:app.sock", "127.0.0.1:3031|\"127.0.0.1:3031\"",
        ":3031|\":3031\"", "*:3031|\":3031\"", "[::1]:3031|\"[::1]:3031\"", "localhost:8000|localhost:8000",
        "0.0.0.0:80|\"0.0.0.0:80\""})
    void writesUwsgisSocketAddressesAsBinds(String address, String bind) {
        assertEquals(bind, YamlTree.string(ListenerImport.bind(address)).text());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "reload-on-rss = 256|reload-on-rss: 256MiB", "reload-on-rss = 0.5|reload-on-rss: 512KiB",
        "evil-reload-on-rss = 300|reload-on-rss: 300MiB", "harakiri = 30|harakiri: 30s",
        "worker-reload-mercy = 8|reload-mercy: 8s", "processes = %k|workers: auto", "workers = 3|workers: 3",
        "lazy-apps = true|preload: false", "lazy-apps = false|preload: true", "threads = 4 # four|threads: 4"})
    void convertsAnAppsPoolOptionInGatehousesUnits(String option, String key) throws IOException {
        String yaml = body(convert("module = site.wsgi\n" + option + "\n"));
        assertTrue(yaml.contains("    " + key + "  # uWSGI: " + option + (option.startsWith("reload-on-rss")
                || option.startsWith("evil") ? " (megabytes)" : "") + "\n"), yaml);
    }

    @Test
    void appliesSocketOptionsToTheListenersTheyFitAndBoundsBufferSize() throws IOException {
        assertEquals("""
                listeners:
                  - protocol: uwsgi  # uWSGI: socket = /run/a.sock
                    bind: unix:/run/a.sock
                    mode: "0666"  # uWSGI: chmod-socket
                    buffer-size: 64KiB  # uWSGI: buffer-size = 131072 (uwsgi listeners take 64KiB at most)
                    limit-post: 1MiB  # uWSGI: limit-post = 1048576
                  - protocol: http  # uWSGI: http-socket = :8080
                    bind: ":8080"
                    max-header-size: 128KiB  # uWSGI: buffer-size = 131072
                    max-body-size: 1MiB  # uWSGI: limit-post = 1048576
                apps:
                  - name: site
                    runtime: python
                    module: site.wsgi  # uWSGI: module = site.wsgi
                    preload: true  # uWSGI's default without lazy-apps: the app is loaded once, then the workers are forked
                """, body(convert("socket = /run/a.sock\nhttp-socket = :8080\nchmod-socket\nbuffer-size = 131072\n"
                + "limit-post = 1048576\nmodule = site.wsgi\n")));
    }

    @Test
    void makesAnAppPerMountAndAStaticAppPerStaticMap() throws IOException {
        UwsgiImport.Result r = convert("socket = /run/a.sock\nmount = /blog=blog.wsgi:app\nmount = /wiki=/srv/wiki.py\n"
                + "static-map = /static/=/srv/static\nstatic-map2 = /media=/srv\nstatic-map = /=/srv/www\n");
        String yaml = body(r);
        assertTrue(yaml.contains("  - name: blog\n    runtime: python\n    mount: /blog"), yaml);
        assertTrue(yaml.contains("    module: blog.wsgi:app\n"), yaml);
        assertTrue(yaml.contains("  - name: wiki\n    runtime: python\n    mount: /wiki"), yaml);
        assertTrue(yaml.contains("    wsgi-file: /srv/wiki.py\n"), yaml);
        assertTrue(yaml.contains("    runtime: static\n    mount: /static\n    root: /srv/static\n"), yaml);
        assertTrue(yaml.contains("    runtime: static\n    mount: /media\n    root: /srv/media\n"), yaml);
        assertEquals(List.of("static-map = /=/srv/www"), r.unmapped().stream().map(n -> n.option().written()).toList());
    }

    @Test
    void listsWhatItCannotConvertWithTheReason() throws IOException {
        UwsgiImport.Result r = convert("processes = many\nmaster\ncron = 0 3 -1 -1 -1 cleanup\nfrobnicate = yes\n");
        assertEquals(List.of(
                "processes = many: expected a number (count)",
                "cron = 0 3 -1 -1 -1 cleanup: use a systemd timer, or cron",
                "frobnicate = yes: not a uWSGI option known here (uWSGI takes an unknown name as a placeholder)"),
                r.unmapped().stream().map(n -> n.option().written() + ": " + n.reason()).toList());
        assertEquals(List.of("master: the master always runs"),
                r.implied().stream().map(n -> n.option().written() + ": " + n.reason()).toList());
        assertTrue(r.yaml().contains("# uWSGI options with no equivalent here, and what to do instead:\n"
                + "#   processes = many (u.ini:2): expected a number (count)\n"), r.yaml());
    }

    @Test
    void runsEveryPythonAppAsUwsgisUidWithItsLimitsAndTouchReloadFiles() throws IOException {
        String yaml = body(convert("chdir = /srv/site\nmodule = site.wsgi\nmount = /blog=blog.wsgi\n"
                + "static-map = /static=/srv/static\nuid = www-data\ngid = 33\nlimit-as = 512\nmax-fd = 4096\n"
                + "limit-nproc = 64\ntouch-reload = /srv/site/reload\ntouch-workers-reload = deploy.stamp\n"));
        String keys = """
                    touch-reload:
                      - /srv/site/reload  # uWSGI: touch-reload = /srv/site/reload
                      - /srv/site/deploy.stamp  # uWSGI: touch-workers-reload = deploy.stamp
                    user: www-data  # uWSGI: uid = www-data (uWSGI ran the whole server as it; here the app's workers \
                run as it, master.user runs the whole server as it)
                    group: "33"  # uWSGI: gid = 33
                    limits:
                      memory: 512MiB  # uWSGI: limit-as = 512 (megabytes)
                      open-files: 4096  # uWSGI: max-fd = 4096
                      processes: 64  # uWSGI: limit-nproc = 64
                """;
        assertTrue(yaml.contains("preload: true  # uWSGI's default without lazy-apps: the app is loaded once, then the "
                + "workers are forked\n" + keys + "  - name: blog\n"), yaml);
        assertTrue(yaml.contains("forked\n" + keys + "  - name: static  #"), yaml);
        assertTrue(yaml.endsWith("    runtime: static\n    mount: /static\n    root: /srv/static\n"), yaml);
    }

    @Test
    void makesTouchChainReloadAChainReloadingApp() throws IOException {
        String yaml = body(convert("module = site.wsgi\ntouch-chain-reload = /srv/deploy\n"));
        assertTrue(yaml.endsWith("""
                    touch-reload:
                      - /srv/deploy  # uWSGI: touch-chain-reload = /srv/deploy
                    reload: chain  # uWSGI: touch-chain-reload = /srv/deploy (every reload of this app, touched or \
                not, then replaces one worker at a time)
                """), yaml);
    }

    @Test
    void listsAGidWithoutUidAndLeavesOutALimitOfZero() throws IOException {
        UwsgiImport.Result r = convert("module = site.wsgi\ngid = www-data\nlimit-as = 0\n");
        assertEquals(List.of("gid = www-data: an app's group goes with its user, and uid names none: add user: (the "
                + "app's processes then run as that user and this group)"),
                r.unmapped().stream().map(n -> n.option().written() + ": " + n.reason()).toList());
        assertEquals(List.of("limit-as = 0: 0 sets no limit, as a limit left out of limits: does"),
                r.implied().stream().map(n -> n.option().written() + ": " + n.reason()).toList());
        assertTrue(!body(r).contains("group:") && !body(r).contains("limits:"), r.yaml());
    }

    @Test
    void listsAPoolOptionWithNoAppToApplyItTo() throws IOException {
        UwsgiImport.Result r = convert("socket = /run/a.sock\nprocesses = 4\n");
        assertEquals(List.of("processes = 4: nothing here to apply it to (no module, wsgi-file or mount makes an app)"),
                r.unmapped().stream().map(n -> n.option().written() + ": " + n.reason()).toList());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"plain|plain", "0660|\"0660\"", "true|\"true\"", "no|\"no\"", "12|\"12\"",
        "1:20|\"1:20\"", "${HOME}/x|\"${HOME}/x\"", "a b|\"a b\"", "say \"hi\"|\"say \\\"hi\\\"\"", "x:|\"x:\"",
        "/srv/a.sock|/srv/a.sock", "mysite.wsgi:application|mysite.wsgi:application", "~|\"~\""})
    void quotesAStringOnlyWhereYamlWouldReadItAsSomethingElse(String value, String yaml) {
        assertEquals(yaml, YamlTree.string(value).text());
    }
}
