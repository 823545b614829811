package io.gatehouse.cli.uwsgi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * uWSGI's worker settings as an app's pool keys: processes, threads, harakiri, max-requests, reload-on-rss (in
 * MiB, as uWSGI counted), worker-reload-mercy, lazy-apps (as preload), cheaper mode, and the touch-reload files.
 */
final class PoolImport {

    private final List<ImportNote> unmapped;

    PoolImport(List<ImportNote> unmapped) {
        this.unmapped = unmapped;
    }

    List<AppImport.Setting> convert(UwsgiOptions options) {
        List<AppImport.Setting> out = new ArrayList<>();
        Optional<UwsgiOption> processes = options.takeLast("processes");
        Optional<UwsgiOption> cheaper = options.takeLast("cheaper");
        Optional<UwsgiOption> initial = options.takeLast("cheaper-initial");
        if (cheaper.isPresent()) {
            cheaper(options, cheaper.get(), processes, initial, out);
        } else {
            processes.ifPresent(o -> out.add(new AppImport.Setting("workers", workers(o), c(o))));
            initial.ifPresent(o -> unmapped.add(new ImportNote(o, "cheaper-initial without cheaper")));
        }
        options.takeLast("threads").ifPresent(o -> out.add(count("threads", o)));
        Optional<UwsgiOption> lazy = options.takeLast("lazy-apps");
        boolean preload = lazy.map(o -> !UwsgiValue.flag(o)).orElse(true);
        out.add(new AppImport.Setting("preload", YamlTree.raw(Boolean.toString(preload)), lazy.map(PoolImport::c)
                .orElse("uWSGI's default without lazy-apps: the app is loaded once, then the workers are forked")));
        options.takeLast("harakiri").ifPresent(o -> out.add(seconds("harakiri", o)));
        options.takeLast("max-requests").ifPresent(o -> out.add(count("max-requests", o)));
        List<UwsgiOption> rss = options.take("reload-on-rss", "evil-reload-on-rss");
        rss.stream().min((a, b) -> Long.compare(UwsgiValue.count(a), UwsgiValue.count(b))).ifPresent(o -> out.add(
                new AppImport.Setting("reload-on-rss", YamlTree.string(UwsgiValue.megabytes(o)), c(o)
                        + " (megabytes)" + (rss.size() > 1 ? ", the lower of " + rss.size() : ""))));
        options.takeLast("worker-reload-mercy").ifPresent(o -> out.add(seconds("reload-mercy", o)));
        touchReload(options, out);
        return out;
    }

    /**
     * touch-reload (and touch-workers-reload) files, and touch-chain-reload's with {@code reload: chain}: here a
     * touched file replaces the app's workers in the app's one reload mode. uWSGI's master had made its chdir before
     * it looked at them, so a relative file is read from there.
     */
    private static void touchReload(UwsgiOptions options, List<AppImport.Setting> out) {
        String chdir = options.peek("chdir").map(UwsgiOption::value).orElse(null);
        List<UwsgiOption> touched = options.take("touch-reload", "touch-chain-reload");
        if (touched.isEmpty()) {
            return;
        }
        out.add(new AppImport.Setting("touch-reload", new YamlNode.Seq(touched.stream().map(o -> new YamlNode.Item(
                YamlTree.string(AppImport.underChdir(o.value(), chdir)), c(o))).toList()), null));
        touched.stream().filter(o -> UwsgiOptions.usual(o).equals("touch-chain-reload")).findFirst().ifPresent(o ->
                out.add(new AppImport.Setting("reload", YamlTree.raw("chain"), c(o) + " (every reload of this app, "
                        + "touched or not, then replaces one worker at a time)")));
    }

    /** uWSGI's cheaper is the fewest workers, processes the most, cheaper-initial the count to start with. */
    private void cheaper(UwsgiOptions options, UwsgiOption cheaper, Optional<UwsgiOption> processes,
            Optional<UwsgiOption> initial, List<AppImport.Setting> out) {
        long min = Math.max(1, UwsgiValue.count(cheaper));
        long max = Math.max(min, processes.map(UwsgiValue::count).orElse(min));
        long start = Math.min(max, Math.max(min, initial.map(UwsgiValue::count).orElse(min)));
        out.add(new AppImport.Setting("workers", YamlTree.raw(Long.toString(start)), initial.map(PoolImport::c)
                .orElse("cheaper mode starts with cheaper's count")));
        YamlTree tree = new YamlTree()
                .put("min", min, c(cheaper))
                .put("max", max, processes.map(PoolImport::c).orElse(null));
        options.takeLast("cheaper-step").ifPresent(o -> tree.put("step", UwsgiValue.count(o), c(o)));
        options.takeLast("cheaper-idle").ifPresent(o -> tree.put("idle", UwsgiValue.seconds(o), c(o)));
        out.add(new AppImport.Setting("cheaper", tree, null));
    }

    /** {@code processes = %k} (one per processor) is {@code workers: auto}. */
    private static YamlNode workers(UwsgiOption o) {
        return o.value().strip().equals("%k") ? YamlTree.raw("auto") : YamlTree.raw(Long.toString(UwsgiValue.count(o)));
    }

    private static AppImport.Setting count(String key, UwsgiOption o) {
        return new AppImport.Setting(key, YamlTree.raw(Long.toString(UwsgiValue.count(o))), c(o));
    }

    private static AppImport.Setting seconds(String key, UwsgiOption o) {
        return new AppImport.Setting(key, YamlTree.string(UwsgiValue.seconds(o)), c(o));
    }

    private static String c(UwsgiOption o) {
        return "uWSGI: " + o.written();
    }
}
