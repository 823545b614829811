"""Copies the request's X-Echo field into a response field, as a careless app does (the hardening tests)."""


def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain'), ('X-Echo', environ.get('HTTP_X_ECHO', ''))])
    return [b'echoed']
