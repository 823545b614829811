package io.gatehouse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.Key;
import io.gatehouse.core.cgroup.CgroupChecks;
import io.gatehouse.core.cgroup.FakeCgroupTree;
import io.gatehouse.core.master.ResolvedConfig.ResolvedApp;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.spi.runtime.AppRuntime;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadPlanTest {
    @TempDir
    Path dir;

    ResolvedConfig load(String yaml) throws Exception {
        Path file = dir.resolve("g.yaml");
        Files.writeString(file, yaml);
        return ResolvedConfig.load(file, ProtocolCatalog.of(new PlainProtocol()),
                RuntimeCatalog.of(new ClassRuntime()));
    }

    /** A protocol named http with no options of its own: the plan only looks at listener configs. */
    static final class PlainProtocol implements io.gatehouse.spi.protocol.Protocol<PlainProtocol.Options> {
        record Options() {
        }

        @Override
        public String name() {
            return "http";
        }

        @Override
        public Class<Options> optionsType() {
            return Options.class;
        }

        @Override
        public void initChannel(io.netty.channel.ChannelPipeline pipeline, Options options) {
        }

        @Override
        public ConnectionLimits limits(Options options) {
            return new ConnectionLimits(java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(60),
                    io.gatehouse.core.exchange.ListenerContext.DEFAULT_BODY_BUFFER);
        }
    }

    /** A runtime named jvm whose one option is a class name: the plan compares runtime options as records. */
    static final class ClassRuntime implements AppRuntime<ClassRuntime.Options> {
        record Options(@Key("class") String className) {
        }

        @Override
        public String name() {
            return "jvm";
        }

        @Override
        public Class<Options> optionsType() {
            return Options.class;
        }

        @Override
        public WorkerFactory prepare(AppConfig app, Options options, RuntimeContext context) {
            throw new UnsupportedOperationException("the plan never starts an app");
        }
    }

    static String app(String name, String extra) {
        return "  - name: " + name + "\n    runtime: jvm\n    class: x.App\n" + extra;
    }

    String config(String listeners, String apps) {
        return "listeners:\n" + listeners + "apps:\n" + apps;
    }

    static final String HTTP = "  - {protocol: http, bind: '127.0.0.1:8080'}\n";

    ReloadPlan plan(ResolvedConfig before, ResolvedConfig after, Map<String, String> force) {
        Map<String, ResolvedApp> running = new LinkedHashMap<>();
        before.apps().forEach(a -> running.put(a.config().name(), a));
        return ReloadPlan.between(running, before.listeners(), after, force);
    }

    @Test
    void sortsAppsIntoAddedRemovedReplacedRetunedReroutedAndUnchanged() throws Exception {
        ResolvedConfig before = load(config(HTTP, app("same", "    mount: /s\n") + app("gone", "    mount: /g\n")
                + app("code", "    mount: /c\n") + app("tune", "    mount: /t\n") + app("move", "    mount: /m\n")));
        ResolvedConfig after = load(config(HTTP, "# a comment shifts every line\n"
                + app("same", "    mount: /s\n") + app("code", "    mount: /c\n    threads: 4\n")
                + app("tune", "    mount: /t\n    harakiri: 30s\n") + app("move", "    mount: /moved\n")
                + app("new", "    mount: /n\n")));
        ReloadPlan p = plan(before, after, Map.of());
        assertEquals(List.of("new"), p.added().stream().map(a -> a.config().name()).toList());
        assertEquals(List.of("gone"), p.removed());
        assertEquals(List.of("code"), p.replaced().stream().map(c -> c.after().config().name()).toList());
        assertEquals("threads 1 -> 4", p.replaced().get(0).what());
        assertEquals(List.of("tune"), p.retuned().stream().map(c -> c.after().config().name()).toList());
        assertEquals("harakiri PT0S -> PT30S", p.retuned().get(0).what());
        assertEquals(List.of("move"), p.rerouted());
        assertEquals(List.of("same"), p.unchanged(), "where a key was written does not count");
    }

    @Test
    void runtimeOptionsMakeAnAppReplacedAndForceReplacesAnUnchangedOne() throws Exception {
        ResolvedConfig before = load(config(HTTP, app("a", "") .replace("x.App", "x.One") + app("b", "    mount: /b\n")));
        ResolvedConfig after = load(config(HTTP, app("a", "").replace("x.App", "x.Two") + app("b", "    mount: /b\n")));
        ReloadPlan p = plan(before, after, Map.of("b", "asked for"));
        assertEquals("runtime options", p.replaced().get(0).what());
        assertEquals("asked for", p.replaced().get(1).what());
        assertTrue(p.unchanged().isEmpty());
    }

    @Test
    void listenersAreMatchedByTheirSocket() throws Exception {
        ResolvedConfig before = load(config(HTTP + "  - {protocol: http, bind: 'unix:" + dir + "/a.sock'}\n"
                + "  - {protocol: http, bind: '127.0.0.1:9000', backlog: 10}\n", app("a", "")));
        ResolvedConfig after = load(config("  - {name: front, protocol: http, bind: '127.0.0.1:8080'}\n"
                + "  - {protocol: http, bind: '127.0.0.1:9000', backlog: 20}\n"
                + "  - {protocol: http, bind: '127.0.0.1:9001'}\n", app("a", "")));
        ReloadPlan p = plan(before, after, Map.of());
        assertEquals(List.of("127.0.0.1:9001"), p.listenersAdded().stream().map(l -> l.config().bind().toString())
                .toList());
        assertEquals(List.of("unix:" + dir + "/a.sock"), p.listenersRemoved());
        assertEquals(1, p.listenersChanged().size());
        assertEquals("name http@127.0.0.1:8080 -> front", p.listenersChanged().get(0).what());
        assertEquals(List.of("listener http@127.0.0.1:9000: backlog 10 -> 20 takes effect at the next restart"),
                p.notes());
    }

    @Test
    void changedCgroupLimitsRetuneTheAppAndKeepItsWorkers() throws Exception {
        FakeCgroupTree tree = new FakeCgroupTree(Files.createDirectories(dir.resolve("cgroup")), "cpu memory");
        ConfigFiles files = new ConfigFiles(ProtocolCatalog.of(new PlainProtocol()),
                RuntimeCatalog.of(new PrivilegeChecksTest.ProcessRuntime()), null,
                CgroupChecks.forCheck(() -> tree.hierarchy("/")), Map.of());
        Path file = dir.resolve("g.yaml");
        Files.writeString(file, config(HTTP, PrivilegeChecksTest.proc("p", "    cgroup: {memory-max: 256MiB}\n")));
        ResolvedConfig before = files.readAll(file, null);
        Files.writeString(file, config(HTTP, PrivilegeChecksTest.proc("p", "    cgroup: {memory-max: 512MiB, "
                + "cpu-max: 50%}\n")));
        ReloadPlan p = plan(before, files.readAll(file, null), Map.of());
        assertEquals(List.of("p"), p.retuned().stream().map(c -> c.after().config().name()).toList());
        assertEquals("cgroup {memory-max: 256MiB} -> {memory-max: 512MiB, cpu-max: 50%}", p.retuned().get(0).what());
        assertTrue(p.replaced().isEmpty());
    }

    @Test
    void anIdenticalConfigChangesNothing() throws Exception {
        String yaml = config(HTTP, app("a", "    workers: 2\n    cheaper: {max: 4}\n"));
        ReloadPlan p = plan(load(yaml), load(yaml), Map.of());
        assertTrue(p.empty());
        assertEquals("unchanged: a", p.summary());
    }
}
