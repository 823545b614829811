package io.gatehouse.protocol.uwsgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Environ;
import org.junit.jupiter.api.Test;

class UwsgiVarsTest {

    private static Environ env(String scriptName, String pathInfo) {
        Environ env = new Environ();
        env.put("SCRIPT_NAME", scriptName);
        env.put("PATH_INFO", pathInfo);
        return env;
    }

    @Test
    void stripsScriptNameAtASegmentBoundaryForModifier30() {
        Environ env = env("/app", "/app/x/y");
        assertTrue(UwsgiVars.stripScriptName(env));
        assertEquals("/x/y", env.get("PATH_INFO"));
        assertFalse(UwsgiVars.stripScriptName(env));
        assertFalse(UwsgiVars.stripScriptName(env("/app", "/application")));
        Environ whole = env("/app", "/app");
        assertTrue(UwsgiVars.stripScriptName(whole));
        assertEquals("", whole.get("PATH_INFO"));
    }
}
