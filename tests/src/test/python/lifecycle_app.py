"""A plain WSGI app for the worker lifecycle and failure tests: pids, sleeps, environment, failures, output, threads,
files."""
import os
import sys
import tempfile
import threading
import time
from urllib.parse import parse_qs

IMPORT_PID = os.getpid()
print('lifecycle app imported in pid %d' % IMPORT_PID, flush=True)

BIG_FILE_SIZE = 16 * 1024 * 1024
_big_fd = None
_big_lock = threading.Lock()

_barrier = threading.Barrier(2)
TEXT = [('Content-Type', 'text/plain')]


def query(environ, name, default=''):
    return parse_qs(environ.get('QUERY_STRING', '')).get(name, [default])[0]


def application(environ, start_response):
    path = environ['PATH_INFO']
    if path == '/pid':
        time.sleep(int(query(environ, 'ms', '0')) / 1000)
        start_response('200 OK', TEXT)
        return [('%d %d %s %s\n' % (os.getpid(), IMPORT_PID, environ['wsgi.multithread'],
                                    environ['wsgi.multiprocess'])).encode()]
    if path == '/sleep':
        time.sleep(int(query(environ, 'ms', '0')) / 1000)
        start_response('200 OK', TEXT)
        return [b'%d\n' % os.getpid()]
    if path == '/env':
        start_response('200 OK', TEXT)
        return [('%s\n' % os.environ.get(query(environ, 'name'), '')).encode()]
    if path == '/fail':
        raise RuntimeError('deliberate failure in the app')
    if path == '/print':
        print('printed by the app to stdout')
        sys.stderr.write('written by the app to stderr\n')
        environ['wsgi.errors'].write('written to wsgi.errors\n')
        start_response('200 OK', TEXT)
        return [b'%d\n' % os.getpid()]
    if path == '/barrier':
        _barrier.wait(timeout=20)
        start_response('200 OK', TEXT)
        return [b'both threads were in at once\n']
    if path == '/bigfile':
        start_response('200 OK', [('Content-Type', 'application/octet-stream')])
        return environ['wsgi.file_wrapper'](open('/proc/self/fd/%d' % big_file(), 'rb'))
    if path == '/stream-mb':
        mb = int(query(environ, 'mb', '1'))
        start_response('200 OK', [('Content-Type', 'application/octet-stream'), ('Content-Length', str(mb << 20))])
        chunk = b'\0' * 65536
        return (chunk for _ in range(mb * 16))
    if path == '/endless':
        marker = query(environ, 'marker')
        start_response('200 OK', TEXT)
        return Endless(marker)
    start_response('404 Not Found', TEXT)
    return [b'no such path\n']


def big_file():
    """A 16 MiB file made on first use and unlinked at once: it lives as long as the process holding it (workers the
    tests kill included), and /proc/self/fd opens it afresh for each response."""
    global _big_fd
    with _big_lock:
        if _big_fd is None:
            fd, path = tempfile.mkstemp(prefix='gatehouse-big-')
            os.unlink(path)
            os.write(fd, bytes(range(256)) * (BIG_FILE_SIZE // 256))
            _big_fd = fd
        return _big_fd


class Endless:
    """Streams a line every 20 ms for up to 20 s; close() leaves a marker file, so a test can see it was called."""

    def __init__(self, marker):
        self.marker = marker

    def __iter__(self):
        for i in range(1000):
            yield b'line %d\n' % i
            time.sleep(0.02)

    def close(self):
        with open(self.marker, 'w') as f:
            f.write('closed after the client left\n')
