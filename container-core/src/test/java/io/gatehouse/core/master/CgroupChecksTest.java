package io.gatehouse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigException;
import io.gatehouse.core.cgroup.CgroupChecks;
import io.gatehouse.core.cgroup.CgroupHierarchy;
import io.gatehouse.core.cgroup.FakeCgroupTree;
import io.gatehouse.core.cgroup.ServiceCgroup;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app's {@code cgroup} keys checked against the cgroup tree: {@code check} against what the system offers,
 * {@code run} against the master's own cgroup too, on fake trees; never accepted where they could not apply.
 */
class CgroupChecksTest {
    static final String SERVICE = "/system.slice/gatehouse.service";
    static final String NEEDS = "cgroup limits need a cgroup v2 tree delegated to gatehouse (systemd: Delegate=yes "
            + "in a drop-in, see \"Limits per app with cgroups\" in operations.md)";
    static final String LIMITED = PrivilegeChecksTest.proc("web", "    cgroup: {memory-max: 256MiB, cpu-max: 50%}\n");

    @TempDir
    Path dir;

    List<String> errors(String apps, CgroupChecks checks) throws Exception {
        Path file = dir.resolve("g.yaml");
        Files.writeString(file, "listeners:\n  - {protocol: http, bind: '127.0.0.1:8080'}\napps:\n" + apps);
        try {
            new ConfigFiles(ProtocolCatalog.of(new ReloadPlanTest.PlainProtocol()),
                    RuntimeCatalog.of(new ReloadPlanTest.ClassRuntime(), new PrivilegeChecksTest.ProcessRuntime()),
                    PrivilegeChecksTest.ROOT, checks, Map.of()).readAll(file, null);
            return List.of();
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).map(s -> s.substring(s.indexOf("g.yaml"))).toList();
        }
    }

    FakeCgroupTree tree(String rootControllers, String serviceControllers) {
        FakeCgroupTree tree = new FakeCgroupTree(dir.resolve("cgroup"), rootControllers);
        tree.cgroup(SERVICE, serviceControllers);
        return tree;
    }

    CgroupChecks delegated(FakeCgroupTree tree) {
        Path service = tree.mount().resolve(SERVICE.substring(1));
        return CgroupChecks.forRun(ServiceCgroup.find(tree.hierarchy(SERVICE), service::equals));
    }

    @Test
    void aDelegatedCgroupWithTheControllersTakesEveryKey() throws Exception {
        FakeCgroupTree tree = tree("cpu io memory pids", "cpu io memory pids");
        assertEquals(List.of(), errors(PrivilegeChecksTest.proc("web", "    cgroup: {memory-max: 256MiB, "
                + "memory-high: 200MiB, memory-swap-max: 0, cpu-max: 50%}\n"), delegated(tree)));
    }

    @Test
    void runRefusesTheKeysOfAMasterWhoseCgroupIsNotDelegatedAndNamesDelegateYes() throws Exception {
        FakeCgroupTree tree = tree("cpu io memory pids", "cpu io memory pids");
        assertEquals(List.of("g.yaml:7:13: apps[0].cgroup: gatehouse's cgroup " + SERVICE + " is not delegated to it; "
                + NEEDS), errors(LIMITED, CgroupChecks.forRun(ServiceCgroup.find(tree.hierarchy(SERVICE),
                        p -> false))));
    }

    @Test
    void eachKeyNamesTheControllerItNeedsWhenTheDelegatedCgroupLacksIt() throws Exception {
        FakeCgroupTree tree = tree("cpu io memory pids", "io pids");
        Path service = tree.mount().resolve(SERVICE.substring(1));
        assertEquals(List.of(
                "g.yaml:7:13: apps[0].cgroup: needs the cpu controller, which gatehouse's delegated cgroup "
                        + service + " does not have (cgroup.controllers: io pids); systemd delegates every "
                        + "controller with Delegate=yes",
                "g.yaml:7:13: apps[0].cgroup: needs the memory controller, which gatehouse's delegated cgroup "
                        + service + " does not have (cgroup.controllers: io pids); systemd delegates every "
                        + "controller with Delegate=yes"), errors(LIMITED, delegated(tree)));
    }

    @Test
    void swapNeedsTheKernelToAccountSwap() throws Exception {
        FakeCgroupTree tree = tree("cpu memory", "cpu memory");
        Files.delete(tree.mount().resolve(SERVICE.substring(1)).resolve("memory.swap.max"));
        assertEquals(List.of("g.yaml:7:50: apps[0].cgroup.memory-swap-max: the kernel does not account swap (no "
                + "memory.swap.max in " + tree.mount().resolve(SERVICE.substring(1)) + "; boot with swapaccount=1)"), errors(PrivilegeChecksTest.proc("web",
                        "    cgroup: {memory-max: 64MiB, memory-swap-max: 0}\n"), delegated(tree)));
    }

    @Test
    void checkAndRunSayWhenTheSystemKeepsTheControllersInCgroupV1() throws Exception {
        CgroupHierarchy hybrid = new CgroupHierarchy(dir, "/", "/", Map.of("memory", Path.of("/sys/fs/cgroup/memory"),
                "cpu", Path.of("/sys/fs/cgroup/cpu")));
        List<String> expected = List.of(
                "g.yaml:7:26: apps[0].cgroup.memory-max: needs cgroup v2's memory controller, but the memory "
                        + "controller is in a cgroup v1 hierarchy (/sys/fs/cgroup/memory), which cgroup v2 cannot "
                        + "use: boot with the unified hierarchy (systemd.unified_cgroup_hierarchy=1); " + NEEDS,
                "g.yaml:7:43: apps[0].cgroup.cpu-max: needs cgroup v2's cpu controller, but the cpu controller is "
                        + "in a cgroup v1 hierarchy (/sys/fs/cgroup/cpu), which cgroup v2 cannot use: boot with the "
                        + "unified hierarchy (systemd.unified_cgroup_hierarchy=1); " + NEEDS);
        assertEquals(expected, errors(LIMITED, CgroupChecks.forCheck(() -> hybrid)));
        assertEquals(expected, errors(LIMITED, CgroupChecks.forRun(ServiceCgroup.find(hybrid, p -> false))));
    }

    @Test
    void checkLeavesDelegationToTheServiceWhereTheSystemHasTheControllers() throws Exception {
        FakeCgroupTree tree = tree("cpu io memory pids", "cpu io memory pids");
        assertEquals(List.of(), errors(LIMITED, CgroupChecks.forCheck(() -> tree.hierarchy("/user.slice"))));
    }

    @Test
    void anAppInsideTheMasterHasNoCgroupOfItsOwn() throws Exception {
        FakeCgroupTree tree = tree("cpu memory", "cpu memory");
        assertEquals(List.of("g.yaml:7:13: apps[0].cgroup: a jvm app runs inside the master, so it is in the "
                + "master's cgroup (systemd: MemoryMax=, CPUQuota= on the service)"), errors(
                        "  - name: j\n    runtime: jvm\n    class: x.App\n    cgroup: {memory-max: 64MiB}\n",
                        delegated(tree)));
    }

    @Test
    void noKeysNeedNothingOfTheSystem() throws Exception {
        assertEquals(List.of(), errors(PrivilegeChecksTest.proc("web", "    cgroup: {}\n"),
                CgroupChecks.forCheck(() -> {
                    throw new AssertionError("the system was consulted for an app without cgroup limits");
                })));
    }
}
