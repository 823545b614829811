package io.gatehouse.core.cgroup;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.CgroupConfig;
import io.gatehouse.config.ConfigScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The checks of an app's {@code cgroup} keys. Each key needs its controller in cgroup v2, which {@code check}
 * finds out for the whole system; {@code run} and each reload also need the master's own cgroup delegated to it
 * (systemd's {@code Delegate=yes}) with the controller on offer, and refuse the config otherwise, never ignoring a
 * limit silently. Nothing is read from the system until an app has {@code cgroup} keys.
 */
public final class CgroupChecks {
    /** The end of every refusal: what would make the keys work. */
    static final String NEEDS = "cgroup limits need a cgroup v2 tree delegated to gatehouse (systemd: Delegate=yes "
            + "in a drop-in, see \"Limits per app with cgroups\" in operations.md)";

    private final Supplier<CgroupHierarchy> hierarchy;
    private final Supplier<ServiceCgroup> service;
    private CgroupHierarchy seenHierarchy;
    private ServiceCgroup seenService;
    private boolean serviceSeen;

    private CgroupChecks(Supplier<CgroupHierarchy> hierarchy, Supplier<ServiceCgroup> service) {
        this.hierarchy = hierarchy;
        this.service = service;
    }

    /** For {@code check}: what this system offers; delegation is for the service to give. */
    public static CgroupChecks forCheck() {
        return forCheck(() -> CgroupHierarchy.read(Path.of("/proc")));
    }

    /** For {@code check} on a system where {@code hierarchy} says what cgroup v2 offers. */
    public static CgroupChecks forCheck(Supplier<CgroupHierarchy> hierarchy) {
        return new CgroupChecks(hierarchy, () -> null);
    }

    /** For {@code run}, before the master has divided its cgroup: this process's delegated cgroup, found now. */
    public static CgroupChecks forRun() {
        return new CgroupChecks(null, ServiceCgroup::find);
    }

    /** For a master that runs in {@code service}. */
    public static CgroupChecks forRun(ServiceCgroup service) {
        return new CgroupChecks(null, () -> service);
    }

    /** Checks {@code app}'s {@code cgroup} keys, if any, each mistake reported under {@code where}, the app's place. */
    public void checkApp(AppConfig app, ConfigScope where) {
        CgroupConfig c = app.cgroup();
        if (c == null || c.none()) {
            return;
        }
        ConfigScope at = where.key("cgroup");
        boolean perKey = false;
        perKey |= controller(c.memoryMax() != null, "memory", at.key("memory-max"));
        perKey |= controller(c.memoryHigh() != null, "memory", at.key("memory-high"));
        perKey |= controller(c.memorySwapMax() != null, "memory", at.key("memory-swap-max"));
        perKey |= controller(c.cpuMax() != null, "cpu", at.key("cpu-max"));
        ServiceCgroup s = service();
        if (perKey || s == null) {
            return; // the system lacks a controller (each key says which); or only checking
        }
        if (!s.usable()) {
            at.error(s.refusal() + "; " + NEEDS);
            return;
        }
        Set<String> offered = s.controllers();
        if (c.needsMemory() && !offered.contains("memory")) {
            at.error(unoffered(s, "memory", offered));
        }
        if (c.needsCpu() && !offered.contains("cpu")) {
            at.error(unoffered(s, "cpu", offered));
        }
        if (c.memorySwapMax() != null && offered.contains("memory")
                && !Files.exists(s.root().resolve("memory.swap.max"))) {
            at.key("memory-swap-max").error("the kernel does not account swap (no memory.swap.max in " + s.root()
                    + "; boot with swapaccount=1)");
        }
    }

    private static String unoffered(ServiceCgroup s, String controller, Set<String> offered) {
        return "needs the " + controller + " controller, which gatehouse's delegated cgroup " + s.root()
                + " does not have (cgroup.controllers: " + (offered.isEmpty() ? "none" : String.join(" ", offered))
                + "); systemd delegates every controller with Delegate=yes";
    }

    /** Reports at {@code key} when it is set and the system has no cgroup v2 {@code controller}; true if so. */
    private boolean controller(boolean set, String controller, ConfigScope key) {
        String lacks = set ? hierarchy().lacks(controller) : null;
        if (lacks != null) {
            key.error("needs cgroup v2's " + controller + " controller, but " + lacks + "; " + NEEDS);
        }
        return lacks != null;
    }

    private synchronized CgroupHierarchy hierarchy() {
        if (seenHierarchy == null) {
            seenHierarchy = hierarchy != null ? hierarchy.get() : service().hierarchy();
        }
        return seenHierarchy;
    }

    private synchronized ServiceCgroup service() {
        if (!serviceSeen) {
            seenService = service.get();
            serviceSeen = true;
        }
        return seenService;
    }
}
