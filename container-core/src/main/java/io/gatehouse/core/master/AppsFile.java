package io.gatehouse.core.master;

import java.util.List;

/**
 * One apps-dir file as last read: its stamp then, and its errors when it was refused (a refused file's previous
 * listeners and apps, if it had any, run on).
 *
 * @param stamp  the file's stamp when it was read
 * @param errors why it was refused, each {@code file:line:col: key: message}; empty when it was accepted
 */
record AppsFile(FileStamp stamp, List<String> errors) {

    AppsFile {
        errors = List.copyOf(errors);
    }

    boolean refused() {
        return !errors.isEmpty();
    }
}
