package io.gatehouse.tests.python;

/**
 * Debian's FastAPI (python3-fastapi) under /usr/bin/python3, two workers, ASGI detected from its async callable: the
 * Flask test's routes and answers (the upload streams chunked through {@code request.stream()}).
 */
class FastApiAppTest extends FlaskAppTest {
    @Override
    String apps() {
        return PythonApps.app("fastapi", "/", "module: fastapi_app:app\nchdir: " + PythonApps.dir() + "\nworkers: 2");
    }

    @Override
    String framework() {
        return "FastAPI";
    }
}
