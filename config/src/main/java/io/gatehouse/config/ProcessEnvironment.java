package io.gatehouse.config;

import java.util.Map;

/** The {@code env} key of a runtime that starts processes: what a process environment can hold (execve(2)). */
public final class ProcessEnvironment {
    private ProcessEnvironment() {
    }

    /**
     * Refuses a name that is empty or holds '=' or NUL, or a value that holds NUL, as key {@code env}.
     *
     * @throws ConfigValueException naming the variable
     */
    public static void check(Map<String, String> env) {
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0
                    || (e.getValue() != null && e.getValue().indexOf('\0') >= 0)) {
                throw new ConfigValueException("env", "'" + name + "' cannot be an environment variable "
                        + "(names must be non-empty without '=' or NUL, values without NUL)");
            }
        }
    }
}
