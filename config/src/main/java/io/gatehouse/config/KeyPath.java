package io.gatehouse.config;

/** Builds the key paths shown in messages: {@code apps[1].workers}, {@code master.shutdown-timeout}. */
final class KeyPath {

    private KeyPath() {
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String index(String path, int index) {
        return path + "[" + index + "]";
    }
}
