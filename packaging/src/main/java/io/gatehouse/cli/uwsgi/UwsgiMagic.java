package io.gatehouse.cli.uwsgi;

import java.nio.file.Path;

/**
 * uWSGI's magic variables, replaced in a config file's text before it is parsed, as uWSGI does: {@code %d} the
 * file's directory (with its trailing slash), {@code %p} its path, {@code %s} its name, {@code %n} the name without
 * extension, {@code %e} the extension, {@code %c} the directory's own name, {@code %x} the section, {@code %0} to
 * {@code %9} the directory's components and {@code %%} a percent sign. {@code %k} (the processor count) is left for
 * {@code processes} to turn into {@code workers: auto}; {@code %(name)} placeholders are resolved after parsing.
 */
final class UwsgiMagic {

    private UwsgiMagic() {
    }

    /** {@code text} with the magic variables of {@code file} (read for {@code section}) replaced. */
    static String expand(String text, Path file, String section) {
        Path path = file.toAbsolutePath().normalize();
        String name = path.getFileName().toString();
        Path parent = path.getParent();
        String dir = parent == null ? "/" : parent.toString().endsWith("/") ? parent.toString() : parent + "/";
        int dot = name.lastIndexOf('.');
        String[] parts = dir.substring(1).split("/");
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%' || i + 1 >= text.length()) {
                out.append(c);
                continue;
            }
            char m = text.charAt(i + 1);
            String value = switch (m) {
                case 'd' -> dir;
                case 'p' -> path.toString();
                case 's' -> name;
                case 'n' -> dot > 0 ? name.substring(0, dot) : name;
                case 'e' -> dot > 0 ? name.substring(dot + 1) : "";
                case 'c' -> parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
                case 'x' -> section;
                case 'o' -> file.toString();
                case '%' -> "%";
                default -> m >= '0' && m <= '9' ? (m - '0' < parts.length ? parts[m - '0'] : "") : null;
            };
            if (value == null) {
                out.append(c); // %k, %( and the rest stay for later, or as written
            } else {
                out.append(value);
                i++;
            }
        }
        return out.toString();
    }
}
