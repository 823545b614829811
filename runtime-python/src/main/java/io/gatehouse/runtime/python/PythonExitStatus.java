package io.gatehouse.runtime.python;

import io.gatehouse.spi.runtime.Worker;

/**
 * The exit status and detail a worker reports to its pool.
 *
 * @param status the process's exit status (128 + signal when killed), {@link Worker#BOOT_FAILED} when it never
 *               loaded the app
 * @param detail what happened, for the pool's log line
 */
record PythonExitStatus(int status, String detail) {

    /**
     * From what is known when a worker is gone: the code its fork server reported ({@code null} if none will come;
     * negative: minus the signal that killed it), whether it was ever ready, the traceback of a failed import, and
     * the reason the master gave up on it (a missed heartbeat, a boot timeout).
     */
    static PythonExitStatus of(Integer code, boolean ready, String bootError, String failure) {
        int status;
        String detail;
        if (code == null) {
            status = 1;
            detail = "exit status unknown: its fork server is gone";
        } else if (code < 0) {
            status = 128 - code;
            detail = "killed by signal " + -code;
        } else {
            status = code;
            detail = code == 0 ? "stopped" : "exited with status " + code;
        }
        if (!ready && bootError != null) {
            return new PythonExitStatus(Worker.BOOT_FAILED, lastLine(bootError));
        }
        if (failure != null) {
            return new PythonExitStatus(ready ? status : Worker.BOOT_FAILED, failure + "; " + detail);
        }
        return new PythonExitStatus(status, detail);
    }

    /** The last line of {@code text} (a traceback's is its exception), for one-line details. */
    static String lastLine(String text) {
        String t = text.stripTrailing();
        int nl = t.lastIndexOf('\n');
        return nl < 0 ? t : t.substring(nl + 1);
    }
}
