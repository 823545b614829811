package io.gatehouse.config;

import java.util.regex.Pattern;

/** The form of a {@code user:} or {@code group:} value: a name from the system's database, or a numeric id. */
final class AccountName {
    // What useradd and groupadd accept on Debian (plus upper case and dots, which other tools create), and ids.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}\\$?");
    private static final long MAX_ID = 0xFFFF_FFFEL; // (uid_t) -1 means "unchanged" to setresuid

    private AccountName() {
    }

    /** Throws a config error on {@code key} unless {@code value} (null: not written) is a name or an id. */
    static void check(String key, String value) {
        if (value == null) {
            return;
        }
        if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
            if (value.length() > 10 || Long.parseLong(value) > MAX_ID) {
                throw new ConfigValueException(key, "an id must be at most " + MAX_ID + ", got " + value);
            }
            return;
        }
        if (!NAME.matcher(value).matches()) {
            throw new ConfigValueException(key, "expected a " + key + " name or a numeric id, got '" + value + "'");
        }
    }
}
