"""Apps written the way code for uWSGI sometimes is, for NginxUwsgiEnvironTest.

``bare_bytes`` returns a bare bytes object instead of an iterable of bytes (uWSGI serves it as one chunk);
``text`` returns a str, which no server can send without guessing an encoding. Both answer with the worker's pid,
so that a test can tell how many worker processes served them.
"""
import os


def bare_bytes(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return b'bare bytes from %d\n' % os.getpid()


def text(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return 'text from %d\n' % os.getpid()
