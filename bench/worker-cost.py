#!/usr/bin/env python3
"""The Python worker's own CPU per request, without sockets or the master: decode_request, the app, and the whole
Lane.handle (environ, start_response's checks, the START/DATA/END frames) for a GET with nginx's uwsgi_params,
against a socket that drops what is sent. docs/performance.md uses it to split the worker's share.
Usage: bench/worker-cost.py [FILE CALLABLE] (default: examples/python/hello.py application)."""
import importlib
import os
import struct
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'runtime-python/src/main/resources/io/gatehouse/runtime/python'))
sys.path.insert(0, os.path.join(ROOT, 'examples/python'))
import gatehouse_worker  # noqa: E402,F401  (loads every gatehouse_ module, by path)
import gatehouse_frames as gf  # noqa: E402
import gatehouse_wsgi as wsgi  # noqa: E402

ENVIRON = {
    'QUERY_STRING': '', 'REQUEST_METHOD': 'GET', 'CONTENT_TYPE': '', 'CONTENT_LENGTH': '', 'REQUEST_URI': '/json',
    'PATH_INFO': '/json', 'DOCUMENT_ROOT': '/usr/share/nginx/html', 'SERVER_PROTOCOL': 'HTTP/1.1',
    'REQUEST_SCHEME': 'http', 'REMOTE_ADDR': '127.0.0.1', 'REMOTE_PORT': '40000', 'SERVER_PORT': '8080',
    'SERVER_NAME': 'localhost', 'HTTP_HOST': '127.0.0.1:8080', 'HTTP_USER_AGENT': 'wrk', 'SCRIPT_NAME': '',
    'wsgi.url_scheme': 'http', 'gatehouse.app': 'bench', 'gatehouse.worker': '1',
}


class NullSocket:
    """Takes what the lane sends and drops it."""

    def sendall(self, data):
        pass

    def sendmsg(self, views):
        return sum(map(len, views))


def request_payload(environ):
    """A REQUEST payload as the master writes it (docs/worker-protocol.md): mode, count, lengths, NUL-ended text."""
    lengths = [n for k, v in environ.items() for n in (len(k), len(v))]
    text = ''.join(k + '\0' + v + '\0' for k, v in environ.items()).encode('latin-1')
    return gf.REQUEST_PREFIX.pack(0, len(environ)) + struct.pack('>%dI' % len(lengths), *lengths) + text


def per_call(fn, n):
    start = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - start) / n * 1e6


def main():
    name, callable_name = (sys.argv[1], sys.argv[2]) if len(sys.argv) > 2 else ('hello', 'application')
    app = getattr(importlib.import_module(name), callable_name)
    payload = request_payload(ENVIRON)
    lane = wsgi.Lane(wsgi.Worker({'threads': 1, 'workers': 4}, app), gf.Connection(NullSocket()))
    n = 50000
    for _ in range(n // 10):
        lane.handle(payload)
    decode = per_call(lambda: gf.decode_request(payload), n)
    alone = per_call(lambda: b''.join(app(dict(ENVIRON, **{'wsgi.input': None}), lambda s, h, e=None: None)), n)
    handle = per_call(lambda: lane.handle(payload), n)
    print('%s:%s, CPU µs per request: decode_request %.2f, the app alone %.2f, Lane.handle in all %.2f '
          '(the worker\'s own share: %.2f)' % (name, callable_name, decode, alone, handle, handle - alone))


if __name__ == '__main__':
    main()
