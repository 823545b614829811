"""Hello world as a plain WSGI callable, served by examples/python-hello.yaml and the bench scripts."""


def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'Hello, world!\n']
