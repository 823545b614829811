package io.gatehouse.cli.uwsgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** uWSGI's ini and YAML formats read as uWSGI reads them, magic variables and placeholders included. */
class UwsgiConfigReaderTest {
    @TempDir
    Path dir;

    private List<String> read(String name, String text, String section) throws IOException {
        Path file = Files.writeString(dir.resolve(name), text);
        List<UwsgiOption> options = new UwsgiPlaceholders().resolve(UwsgiConfigReader.read(file, section));
        return options.stream().map(o -> o.line() + " " + o.written()).toList();
    }

    @Test
    void readsTheAskedSectionsOfAnIniWithRepeatedKeysFlagsAndWholeLineComments() throws IOException {
        assertEquals(List.of("4 socket = /run/a.sock", "5 socket = 127.0.0.1:3031", "7 master", "8 env = A=b=c",
                "11 processes = 4 ; uWSGI keeps this"), read("u.ini", """
                [other]
                socket = /elsewhere
                [uwsgi]
                  socket = /run/a.sock
                socket=127.0.0.1:3031
                ; a comment
                master
                env = A=b=c
                # another
                [uwsgi]
                processes = 4 ; uWSGI keeps this
                """, "uwsgi"));
    }

    @Test
    void readsAnotherSectionWhenAsked() throws IOException {
        assertEquals(List.of("4 py-autoreload = 1"), read("u.ini", "[uwsgi]\nmaster\n[dev]\npy-autoreload = 1\n",
                "dev"));
    }

    @Test
    void replacesMagicVariablesAndPlaceholdersAndTurnsEnvironmentVariablesIntoGatehouses() throws IOException {
        String d = dir.toAbsolutePath() + "/";
        assertEquals(List.of(
                "2 base = " + d,
                "3 chdir = " + d + "app",
                "4 procname = site-ini-" + dir.getFileName(),
                "5 logto = " + d + "site.log",
                "6 env = HOME=${HOME}",
                "7 pidfile = /run/100%",
                "8 processes = %k",
                "9 set-placeholder = project=site"), read("site.ini", """
                [uwsgi]
                base = %d
                chdir = %(base)app
                procname = %n-%e-%c
                logto = %(base)%(project).log
                env = HOME=$(HOME)
                pidfile = /run/100%%
                processes = %k
                set-placeholder = project=site
                """, "uwsgi"));
    }

    @Test
    void readsUwsgisYamlWithAListForARepeatedOption() throws IOException {
        assertEquals(List.of("3 socket = /run/a.sock", "4 socket = :3031", "5 master = true", "6 vacuum"),
                read("u.yaml", """
                other: {socket: /elsewhere}
                uwsgi:
                  socket: [/run/a.sock,
                    ":3031"]
                  master: true
                  vacuum:
                """, "uwsgi"));
    }

    @Test
    void readsTheFilesThatIniAndInheritNameInTheirPlace() throws IOException {
        Files.writeString(dir.resolve("base.ini"), "[uwsgi]\nlisten = 1024\n[prod]\nharakiri = 30\n");
        assertEquals(List.of("2 master", "2 listen = 1024", "4 harakiri = 30", "5 processes = 4"), read("u.ini",
                "[uwsgi]\nmaster\nini = base.ini\ninherit = %dbase.ini:prod\nprocesses = 4\n", "uwsgi"));
    }

    @Test
    void reportsAFileItCannotReadOrParse() throws IOException {
        UwsgiFormatException missing = assertThrows(UwsgiFormatException.class,
                () -> UwsgiConfigReader.read(dir.resolve("none.ini"), "uwsgi"));
        assertTrue(missing.getMessage().startsWith(dir.resolve("none.ini") + ": cannot read"), missing.getMessage());
        Path empty = Files.writeString(dir.resolve("e.ini"), "[other]\nmaster\n");
        assertEquals(empty + ": no [uwsgi] section, or it is empty",
                assertThrows(UwsgiFormatException.class, () -> UwsgiConfigReader.read(empty, "uwsgi")).getMessage());
        Path nested = Files.writeString(dir.resolve("n.yaml"), "uwsgi:\n  env:\n    A: b\n");
        assertEquals(nested + ":3: 'env' holds a mapping; a uWSGI option takes a value or a list of values",
                assertThrows(UwsgiFormatException.class, () -> UwsgiConfigReader.read(nested, "uwsgi")).getMessage());
        Path header = Files.writeString(dir.resolve("h.ini"), "[uwsgi\nmaster\n");
        assertEquals(header + ":1: a section header needs its ']': [uwsgi",
                assertThrows(UwsgiFormatException.class, () -> UwsgiConfigReader.read(header, "uwsgi")).getMessage());
    }
}
