package io.gatehouse.cli.uwsgi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * uWSGI's {@code uid}, {@code gid}, {@code limit-as}, {@code limit-nproc} and {@code max-fd} as an app's
 * {@code user}, {@code group} and {@code limits}. uWSGI switched its whole server to the uid; what a uWSGI user relies
 * on is that the app runs as that user (its files, its uploads, its sockets were set up for it), and here that is the
 * app's own {@code user}, which also fits an apps-dir file. {@code master.user} is the whole server's switch, for a
 * master started as root; the comments say so.
 */
final class PrivilegeImport {

    private final List<ImportNote> implied;
    private final List<ImportNote> unmapped;

    PrivilegeImport(List<ImportNote> implied, List<ImportNote> unmapped) {
        this.implied = implied;
        this.unmapped = unmapped;
    }

    List<AppImport.Setting> convert(UwsgiOptions options) {
        List<AppImport.Setting> out = new ArrayList<>();
        Optional<UwsgiOption> uid = options.takeLast("uid");
        Optional<UwsgiOption> gid = options.takeLast("gid");
        uid.ifPresent(o -> out.add(new AppImport.Setting("user", YamlTree.string(o.value()), c(o)
                + " (uWSGI ran the whole server as it; here the app's workers run as it, master.user runs the whole "
                + "server as it)")));
        gid.ifPresent(o -> {
            if (uid.isPresent()) {
                out.add(new AppImport.Setting("group", YamlTree.string(o.value()), c(o)));
            } else {
                unmapped.add(new ImportNote(o, "an app's group goes with its user, and uid names none: add user: "
                        + "(the app's processes then run as that user and this group)"));
            }
        });
        YamlTree limits = new YamlTree();
        limit(options, "limit-as", o -> limits.put("memory", YamlTree.string(UwsgiValue.megabytes(o)),
                c(o) + " (megabytes)"));
        limit(options, "max-fd", o -> limits.put("open-files", UwsgiValue.count(o), c(o)));
        limit(options, "limit-nproc", o -> limits.put("processes", UwsgiValue.count(o), c(o)));
        if (!limits.isEmpty()) {
            out.add(new AppImport.Setting("limits", limits, null));
        }
        return out;
    }

    /** The last {@code name} written, unless it is 0: uWSGI sets no limit for 0, and neither does a key left out. */
    private void limit(UwsgiOptions options, String name, Consumer<UwsgiOption> put) {
        options.takeLast(name).ifPresent(o -> {
            if (UwsgiValue.count(o) == 0) {
                implied.add(new ImportNote(o, "0 sets no limit, as a limit left out of limits: does"));
            } else {
                put.accept(o);
            }
        });
    }

    private static String c(UwsgiOption o) {
        return "uWSGI: " + o.written();
    }
}
