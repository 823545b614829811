package io.gatehouse.tests.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Debian's Starlette (python3-starlette) under /usr/bin/python3, preloaded into two workers with interface: asgi:
 * the Flask test's routes and answers, and the state its lifespan context yields reaching each request.
 */
class StarletteAppTest extends FlaskAppTest {
    @Override
    String apps() {
        return PythonApps.app("starlette", "/", "module: starlette_app:app\nchdir: " + PythonApps.dir()
                + "\nworkers: 2\npreload: true\ninterface: asgi\nlifespan: on");
    }

    @Override
    String framework() {
        return "Starlette";
    }

    @Test
    void theLifespanStateOfItsWorkerReachesEachRequest() {
        String[] pidAndState = PythonApps.get(port, "/state").body().trim().split(" ");
        assertEquals("lifespan-" + pidAndState[0], pidAndState[1]);
    }
}
