package io.gatehouse.cli.uwsgi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * uWSGI's {@code static-map} (and {@code static-map2}, which appends the mount to the directory) as apps of
 * {@code runtime: static}, with {@code static-index} as their index files. uWSGI passed a file it did not find to
 * the app; here the static app answers 404, as nginx's alias does.
 */
final class StaticImport {

    private final List<ImportNote> unmapped;
    private final UnaryOperator<String> uniqueName;

    StaticImport(List<ImportNote> unmapped, UnaryOperator<String> uniqueName) {
        this.unmapped = unmapped;
        this.uniqueName = uniqueName;
    }

    List<YamlTree> convert(UwsgiOptions options) {
        List<YamlTree> apps = new ArrayList<>();
        List<UwsgiOption> index = options.take("static-index");
        for (UwsgiOption o : options.take("static-map", "static-map2")) {
            int eq = o.value().indexOf('=');
            String mount = eq < 0 ? "" : AppImport.trimSlash(o.value().substring(0, eq).strip());
            if (eq < 0 || !mount.startsWith("/")) {
                unmapped.add(new ImportNote(o, "expected " + o.name() + " = /MOUNT=DIRECTORY"));
                continue;
            }
            String dir = o.value().substring(eq + 1).strip();
            String root = UwsgiOptions.usual(o).equals("static-map2") ? Path.of(dir).resolve(mount.substring(1))
                    .toString() : dir;
            if (mount.equals("/")) {
                unmapped.add(new ImportNote(o, "at / it would hide the app: serve these files from nginx "
                        + "(try_files), or mount them at a path of their own"));
            } else if (Files.isRegularFile(Path.of(root))) {
                unmapped.add(new ImportNote(o, "it maps to one file; a static app serves a directory"));
            } else {
                YamlTree app = new YamlTree()
                        .put("name", uniqueName.apply(mount.substring(1).replace('/', '-')), "uWSGI: " + o.written()
                                + " (a missing file is 404 here; uWSGI passed it to the app)")
                        .put("runtime", "static", null)
                        .put("mount", mount, null)
                        .put("root", root, null);
                if (!index.isEmpty()) {
                    app.put("index", new YamlNode.Seq(index.stream().map(i -> new YamlNode.Item(
                            YamlTree.string(i.value()), "uWSGI: " + i.written())).toList()), null);
                }
                apps.add(app);
            }
        }
        if (apps.isEmpty()) {
            index.forEach(i -> unmapped.add(new ImportNote(i, "there is no static-map to apply it to")));
        }
        return apps;
    }
}
