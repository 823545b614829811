"""Behaviour of the worker script against a scripted master on a socketpair (run by PythonWorkerScriptTest)."""
import contextlib
import io
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'main', 'resources', 'io', 'gatehouse', 'runtime', 'python'))

import gatehouse_worker as gw  # noqa: E402
import gatehouse_frames as gf  # noqa: E402
import gatehouse_response  # noqa: E402
import gatehouse_wsgi as wsgi  # noqa: E402
import gatehouse_wsgi_io as wsgi_io  # noqa: E402

TIMEOUT = 10


def request_frame(environ, mode=gf.BODY_NONE):
    keys = list(environ)
    lengths = []
    data = []
    for k in keys:
        lengths += [len(k), len(environ[k])]
        data += [k, '\0', environ[k], '\0']
    payload = struct.pack('>BH%dI' % len(lengths), mode, len(keys), *lengths) + ''.join(data).encode('latin-1')
    return gf.frame(gf.REQUEST, payload)


def base_environ(**extra):
    environ = {'REQUEST_METHOD': 'GET', 'SCRIPT_NAME': '', 'PATH_INFO': '/', 'QUERY_STRING': '',
               'SERVER_NAME': 'localhost', 'SERVER_PORT': '80', 'SERVER_PROTOCOL': 'HTTP/1.1',
               'wsgi.url_scheme': 'http'}
    environ.update(extra)
    return environ


def parse_start(payload):
    length, count = struct.unpack_from('>qH', payload, 0)
    lengths = struct.unpack_from('>%dI' % (2 * count + 1), payload, 10)
    text = payload[10 + 4 * len(lengths):].decode('latin-1')
    parts = []
    pos = 0
    for n in lengths:
        parts.append(text[pos:pos + n])
        pos += n
    return parts[0], list(zip(parts[1::2], parts[2::2])), length


class Master:
    """The master's end of one lane: writes frames, reads the worker's frames."""

    def __init__(self, app, threads=1, workers=1):
        self.sock, worker_sock = socket.socketpair()
        self.sock.settimeout(TIMEOUT)
        self.conn = gf.Connection(self.sock)
        self.worker = wsgi.Worker({'threads': threads, 'workers': workers}, app)
        self.lane = wsgi.Lane(self.worker, gf.Connection(worker_sock))
        self.failure = None
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        try:
            self.lane.serve(0)
        except BaseException as e:
            self.failure = e
        finally:
            self.lane.sock.close()

    def send(self, *frames):
        self.sock.sendall(b''.join(frames))

    def frame(self):
        ftype, payload = self.conn.read_frame()
        if ftype is None:
            raise AssertionError('the worker closed the connection')
        return ftype, payload

    def response(self):
        """Frames until END or ABORT: (status, headers, length hint, body, ending frame type, abort text)."""
        ftype, payload = self.frame()
        if ftype == gf.ABORT:
            return None, None, None, b'', ftype, payload.decode()
        assert ftype == gf.START, 'expected START, got frame 0x%02x' % ftype
        status, headers, length = parse_start(payload)
        body = []
        while True:
            ftype, payload = self.frame()
            if ftype == gf.DATA:
                body.append(payload)
            elif ftype in (gf.END, gf.ABORT):
                return status, headers, length, b''.join(body), ftype, payload.decode()
            else:
                raise AssertionError('unexpected frame %d' % ftype)

    def close(self):
        self.send(gf.frame(gf.STOP))
        self.thread.join(TIMEOUT)
        self.sock.close()


def hello_app(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'Hello, world!\n']


class RequestTest(unittest.TestCase):
    def serve(self, app, **kw):
        master = Master(app, **kw)
        self.addCleanup(master.close)
        return master

    def respond(self, app, environ=None):
        """Serves one request (a GET of / unless environ is given) and returns master.response()."""
        master = self.serve(app)
        master.send(request_frame(environ or base_environ()))
        return master.response()

    def test_answers_a_list_with_head_body_and_end_in_one_send(self):
        master = self.serve(hello_app)
        master.send(request_frame(base_environ()))
        status, headers, length, body, end, _ = master.response()
        self.assertEqual(('200 OK', [('Content-Type', 'text/plain')], 14, b'Hello, world!\n', gf.END),
                         (status, headers, length, body, end))
        self.assertEqual(b'', master.conn.buf[master.conn.pos:], 'nothing after END')

    def test_passes_the_environ_as_native_strings_byte_for_byte(self):
        seen = {}

        def app(environ, start_response):
            seen.update(environ)
            start_response('200 OK', [('Content-Type', 'text/plain')])
            return []

        master = self.serve(app, threads=2, workers=3)
        raw = bytes(range(0x20, 0x100)).decode('latin-1')
        master.send(request_frame(base_environ(PATH_INFO='/' + raw, HTTP_X='')))
        master.response()
        self.assertEqual('/' + raw, seen['PATH_INFO'])
        with_nul = '/a\0b\0'
        master.send(request_frame(base_environ(PATH_INFO=with_nul, QUERY_STRING='\0')))
        master.response()
        self.assertEqual((with_nul, '\0', 'GET'), (seen['PATH_INFO'], seen['QUERY_STRING'], seen['REQUEST_METHOD']))
        self.assertIs(str, type(seen['PATH_INFO']))
        self.assertEqual('', seen['HTTP_X'])
        self.assertEqual((1, 0), seen['wsgi.version'])
        self.assertEqual((True, True, False), (seen['wsgi.multithread'], seen['wsgi.multiprocess'],
                                                seen['wsgi.run_once']))
        self.assertIs(wsgi_io.FileWrapper, seen['wsgi.file_wrapper'])
        self.assertIs(sys.stderr, seen['wsgi.errors'])

    def test_streams_a_generator_and_calls_close(self):
        closed = threading.Event()

        class Body:
            def __iter__(self):
                yield b''
                yield b'one '
                yield b'two'

            def close(self):
                closed.set()

        def app(environ, start_response):
            start_response('200 OK', [('Content-Type', 'text/plain')])
            return Body()

        status, _, length, body, end, _ = self.respond(app)
        self.assertEqual(('200 OK', -1, b'one two', gf.END), (status, length, body, end))
        self.assertTrue(closed.wait(TIMEOUT))

    def test_a_block_completing_the_content_length_ends_the_response_in_the_same_send(self):
        drained = threading.Event()

        def app(environ, start_response):
            start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', '3')])

            def body():
                yield b'abc'
                yield b'dropped: past the declared length'
                drained.set()
            return body()

        master = self.serve(app)
        master.send(request_frame(base_environ()))
        data = b''
        while not data.endswith(gf.END_FRAME):
            data += master.sock.recv(65536)
        self.assertEqual(gf.START, data[4])
        self.assertTrue(data.endswith(gf.HEADER.pack(3, gf.DATA) + b'abc' + gf.END_FRAME), data)
        self.assertTrue(drained.wait(TIMEOUT), 'the iterable is still run to its end')

    def test_write_callable_sends_before_the_iterable(self):
        def app(environ, start_response):
            write = start_response('200 OK', [('Content-Type', 'text/plain')])
            write(b'first ')
            return [b'second']

        self.assertEqual(b'first second', self.respond(app)[3])

    def test_exc_info_before_headers_replaces_the_status(self):
        def app(environ, start_response):
            start_response('200 OK', [('Content-Type', 'text/plain')])
            try:
                raise ValueError('boom')
            except ValueError:
                start_response('500 Oops', [('Content-Type', 'text/plain')], sys.exc_info())
            return [b'sorry']

        status, _, _, body, end, _ = self.respond(app)
        self.assertEqual(('500 Oops', b'sorry', gf.END), (status, body, end))

    def test_exc_info_after_headers_reraises_and_aborts(self):
        def app(environ, start_response):
            write = start_response('200 OK', [('Content-Type', 'text/plain')])
            write(b'partial')
            try:
                raise ValueError('late failure')
            except ValueError:
                start_response('500 Oops', [('Content-Type', 'text/plain')], sys.exc_info())
            return [b'never']

        status, _, _, body, end, text = self.respond(app)
        self.assertEqual(('200 OK', b'partial', gf.ABORT), (status, body, end))
        self.assertIn('ValueError: late failure', text)

    def test_second_start_response_without_exc_info_is_an_error(self):
        def app(environ, start_response):
            start_response('200 OK', [])
            start_response('200 OK', [])
            return []

        self.assertIn('a second time without exc_info', self.respond(app)[5])

    def test_refuses_bad_status_headers_and_body_types(self):
        apps = {
            'status must be a str': lambda e, s: (s(200, []), [])[1],
            'contains CR, LF or NUL': lambda e, s: (s('200 OK', [('X', 'a\r\nb')]), [])[1],
            'must be str': lambda e, s: (s('200 OK', [('X', 1)]), [])[1],
            'must be bytes': lambda e, s: (s('200 OK', []), ['text'])[1],
            'without calling start_response': lambda e, s: [b'x'],
            'returned a str as its body': lambda e, s: (s('200 OK', []), 'text')[1],
        }
        for expected, app in apps.items():
            with self.subTest(expected):
                self.assertIn(expected, self.respond(app)[5])

    def test_serves_a_bare_bytes_body_as_one_chunk_and_warns_once(self):
        app = lambda e, s: (s('200 OK', [('Content-Type', 'text/plain')]), b'bare')[1]  # noqa: E731
        del gatehouse_response.BARE_BYTES_WARNED[:]
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            first = self.respond(app)
            second = self.respond(app)
        self.assertEqual(('200 OK', 4, b'bare', gf.END), (first[0], first[2], first[3], first[4]))
        self.assertEqual(b'bare', second[3])
        self.assertEqual(1, err.getvalue().count('bare bytes object'), err.getvalue())

    def test_head_request_gets_head_without_body(self):
        def app(environ, start_response):
            start_response('200 OK', [('Content-Type', 'text/plain')])
            return iter([b'ignored'])

        status, _, _, body, end, _ = self.respond(app, base_environ(REQUEST_METHOD='HEAD'))
        self.assertEqual(('200 OK', b'', gf.END), (status, body, end))

    def test_close_is_called_when_iteration_fails(self):
        closed = []

        class Body:
            def __iter__(self):
                yield b'x'
                raise RuntimeError('mid-body')

            def close(self):
                closed.append(True)

        def app(environ, start_response):
            start_response('200 OK', [('Content-Type', 'text/plain')])
            return Body()

        self.assertEqual(gf.ABORT, self.respond(app)[4])
        self.assertEqual([True], closed)

    def test_answers_ping_and_skips_a_late_cancel_between_requests(self):
        master = self.serve(hello_app)
        master.send(gf.frame(gf.PING), gf.frame(gf.CANCEL))
        self.assertEqual(gf.PONG, master.frame()[0])
        master.send(request_frame(base_environ()))
        self.assertEqual(b'Hello, world!\n', master.response()[3])


class InputTest(unittest.TestCase):
    def echo(self, reader):
        def app(environ, start_response):
            result = reader(environ['wsgi.input'])
            start_response('200 OK', [('Content-Type', 'text/plain')])
            return [repr(result).encode()]

        master = Master(app)
        self.addCleanup(master.close)
        return master

    def test_reads_an_inline_body_without_asking(self):
        master = self.echo(lambda i: (i.read(3), i.read(100), i.read()))
        master.send(request_frame(base_environ(CONTENT_LENGTH='7'), gf.BODY_INLINE),
                    gf.frame(gf.BODY, b'abcd'), gf.frame(gf.BODY_LAST, b'efg'))
        self.assertEqual(repr((b'abc', b'defg', b'')).encode(), master.response()[3])

    def test_asks_for_more_as_the_app_reads(self):
        master = self.echo(lambda i: [line for line in i])
        master.send(request_frame(base_environ(), gf.BODY_ON_REQUEST))
        for piece, ftype in ((b'one\ntw', gf.BODY), (b'o\nthree', gf.BODY), (b'', gf.BODY_LAST)):
            more, payload = master.frame()
            self.assertEqual((gf.MORE, gf.BODY_CREDIT), (more, struct.unpack('>I', payload)[0]))
            master.send(gf.frame(ftype, piece))
        self.assertEqual(repr([b'one\n', b'two\n', b'three']).encode(), master.response()[3])

    def test_readline_honours_its_limit_and_readlines_its_hint(self):
        master = self.echo(lambda i: (i.readline(2), i.readline(), i.readline(0), i.readlines(1), i.readlines()))
        body = b'abc\ndef\nghi\njkl'
        master.send(request_frame(base_environ(), gf.BODY_INLINE), gf.frame(gf.BODY_LAST, body))
        self.assertEqual(repr((b'ab', b'c\n', b'', [b'def\n'], [b'ghi\n', b'jkl'])).encode(), master.response()[3])

    def test_a_body_cut_short_raises_in_the_app(self):
        master = self.echo(lambda i: i.read(10))
        master.send(request_frame(base_environ(), gf.BODY_ON_REQUEST))
        self.assertEqual(gf.MORE, master.frame()[0])
        master.send(gf.frame(gf.BODY_ABORT, b'client closed the connection'))
        status, _, _, _, end, text = master.response()
        self.assertEqual(gf.ABORT, end)
        self.assertIn('ClientDisconnected: client closed the connection', text)

    def test_skips_an_unread_inline_body_before_the_next_request(self):
        master = self.echo(lambda i: None)
        master.send(request_frame(base_environ(), gf.BODY_INLINE), gf.frame(gf.BODY, b'x'),
                    gf.frame(gf.BODY_LAST, b'y'))
        master.response()
        master.send(request_frame(base_environ()))
        self.assertEqual(b'None', master.response()[3])


class FileWrapperTest(unittest.TestCase):
    def setUp(self):
        fd, self.path = tempfile.mkstemp()
        os.write(fd, b'0123456789' * 1000)
        os.close(fd)
        self.addCleanup(os.remove, self.path)

    def serve_file(self, skip=0):
        closed = threading.Event()

        def app(environ, start_response):
            f = open(self.path, 'rb')
            f.read(skip)
            real_close = f.close
            f.close = lambda: (closed.set(), real_close())
            start_response('200 OK', [('Content-Type', 'application/octet-stream')])
            return environ['wsgi.file_wrapper'](f, 4096)

        master = Master(app)
        self.addCleanup(master.close)
        master.send(request_frame(base_environ()))
        return master, closed

    def test_offers_the_file_from_its_current_position(self):
        master, closed = self.serve_file(skip=10)
        ftype, payload = master.frame()
        self.assertEqual(gf.START, ftype)
        self.assertEqual(9990, parse_start(payload)[2])
        ftype, payload = master.frame()
        fd, offset, count = struct.unpack('>Iqq', payload)
        self.assertEqual((gf.FILE, 10, 9990), (ftype, offset, count))
        with open('/proc/self/fd/%d' % fd, 'rb') as reopened:
            self.assertEqual(b'0123456789', reopened.read(10))
        master.send(gf.frame(gf.FILE_SENT))
        self.assertEqual(gf.END, master.frame()[0])
        self.assertTrue(closed.wait(TIMEOUT))

    def test_copies_the_file_when_the_master_refuses_it(self):
        master, closed = self.serve_file()
        self.assertEqual(gf.START, master.frame()[0])
        self.assertEqual(gf.FILE, master.frame()[0])
        master.send(gf.frame(gf.FILE_REFUSED))
        body = []
        while True:
            ftype, payload = master.frame()
            if ftype == gf.END:
                break
            body.append(payload)
        self.assertEqual(b'0123456789' * 1000, b''.join(body))
        self.assertTrue(closed.wait(TIMEOUT))


class CancelTest(unittest.TestCase):
    def test_stops_a_stream_the_client_left_and_still_closes_it(self):
        closed = threading.Event()
        produced = []

        def app(environ, start_response):
            start_response('200 OK', [('Content-Type', 'text/plain')])

            def body():
                try:
                    for i in range(100000):
                        produced.append(i)
                        yield b'x' * 100
                finally:
                    closed.set()
            return body()

        master = Master(app)
        self.addCleanup(master.close)
        master.send(request_frame(base_environ()))
        self.assertEqual(gf.START, master.frame()[0])
        self.assertEqual(gf.DATA, master.frame()[0])
        master.send(gf.frame(gf.CANCEL))
        while master.frame()[0] != gf.END:
            pass
        self.assertTrue(closed.wait(TIMEOUT))
        self.assertLess(len(produced), 100000)


class AheadTest(unittest.TestCase):
    """Requests the master sends ahead while one runs (prefetch)."""

    def test_serves_requests_sent_back_to_back_in_order(self):
        master = Master(lambda e, sr: (sr('200 OK', []), [e['PATH_INFO'].encode()])[1])
        self.addCleanup(master.close)
        master.send(request_frame(base_environ(PATH_INFO='/a')), request_frame(base_environ(PATH_INFO='/b'),
                    gf.BODY_INLINE), gf.frame(gf.BODY_LAST, b'xy'), request_frame(base_environ(PATH_INFO='/c')))
        self.assertEqual([b'/a', b'/b', b'/c'], [master.response()[3] for _ in range(3)])

    def stream_until_polled(self, master_sends):
        """A streamed response that lasts past a cancel poll, while the master sends master_sends."""
        polled = threading.Event()

        def app(environ, start_response):
            start_response('200 OK', [])
            if environ['PATH_INFO'] != '/stream':
                return [b'after:' + environ['wsgi.input'].read()]

            def body():
                yield b'one'
                polled.wait(TIMEOUT)
                time.sleep(wsgi.CANCEL_POLL * 2)
                yield b'two'
                yield b'three'
            return body()

        master = Master(app)
        self.addCleanup(master.close)
        master.send(request_frame(base_environ(PATH_INFO='/stream')))
        self.assertEqual(gf.START, master.frame()[0])
        master.send(*master_sends)
        polled.set()
        return master

    def test_keeps_a_request_read_during_a_response_for_after_it(self):
        master = self.stream_until_polled([request_frame(base_environ(PATH_INFO='/next'), gf.BODY_INLINE),
                                           gf.frame(gf.BODY_LAST, b'body')])
        frames = []
        while not frames or frames[-1][0] != gf.END:
            frames.append(master.frame())
        self.assertEqual(b'onetwothree', b''.join(p for t, p in frames if t == gf.DATA))
        self.assertEqual(b'after:body', master.response()[3])

    def test_a_cancel_naming_another_request_is_ignored(self):
        master = self.stream_until_polled([gf.frame(gf.CANCEL, struct.pack('>I', 2))])
        frames = []
        while not frames or frames[-1][0] != gf.END:
            frames.append(master.frame())
        self.assertEqual(b'onetwothree', b''.join(p for t, p in frames if t == gf.DATA), 'not cancelled')

    def test_a_cancel_naming_the_running_request_stops_it(self):
        master = self.stream_until_polled([gf.frame(gf.CANCEL, struct.pack('>I', 1))])
        frames = []
        while not frames or frames[-1][0] != gf.END:
            frames.append(master.frame())
        self.assertNotIn(b'three', b''.join(p for t, p in frames if t == gf.DATA))


class ForkServerHarness:
    """The script run as the master runs it, against a listening socket standing in for the master's. With
    ``via_parent`` the fork server's parent is a stand-in master process (``self.parent``) instead of this one."""

    def start(self, app_source, preload, threads=1, env=None, via_parent=False, **extra):
        self.dir = tempfile.mkdtemp()
        self.accepted = []
        self.parent = None
        with open(os.path.join(self.dir, 'app.py'), 'w') as f:
            f.write(app_source)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.settimeout(TIMEOUT)
        path = os.path.join(self.dir, 'master.sock')
        self.server.bind(path)
        self.server.listen(8)
        settings = {'app': 'test', 'socket': path, 'token': 'fs-token', 'threads': threads, 'workers': 1,
                    'preload': preload, 'module': 'app', 'callable': 'application', 'wsgi_file': None,
                    'app_dir': self.dir, 'pythonpath': []}
        settings.update(extra)
        process_env = dict(os.environ, **(env or {}))
        self.addCleanup(self.stop)
        if via_parent:
            self.parent = subprocess.Popen([sys.executable, '-c', STAND_IN_MASTER, gw.__file__, json.dumps(settings)],
                                           cwd=self.dir, env=process_env)
            self.process = None
        else:
            settings['master_pid'] = os.getpid()
            self.process = subprocess.Popen([sys.executable, gw.__file__, 'test'], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=self.dir,
                                            env=process_env)
            self.process.stdin.write(json.dumps(settings).encode())
            self.process.stdin.close()
        self.control = self.accept()
        role, self.pid, _, token = self.hello(self.control)
        self.assertEqual((gf.ROLE_FORK_SERVER, 'fs-token'), (role, token))
        if self.process is not None:
            self.assertEqual(self.process.pid, self.pid)

    def stop(self):
        if self.parent is not None and alive(self.pid):
            os.kill(self.pid, signal.SIGKILL)  # the fork server of a failed test, orphaned: ours to end
        for p in (self.process, self.parent):
            if p is not None:
                if p.poll() is None:
                    p.kill()
                p.wait(TIMEOUT)
                if p.stdout is not None:
                    p.stdout.close()
        for sock in self.accepted:
            sock.close()
        self.server.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def accept(self):
        sock, _ = self.server.accept()
        sock.settimeout(TIMEOUT)
        self.accepted.append(sock)
        return gf.Connection(sock)

    def hello(self, conn):
        ftype, payload = conn.read_frame()
        self.assertEqual(gf.HELLO, ftype)
        role, pid, index = struct.unpack_from('>BIH', payload)
        return role, pid, index, payload[7:].decode()

    def control_frame(self, wanted):
        """The next control frame of type wanted, keeping LOG frames aside."""
        while True:
            ftype, payload = self.control.read_frame()
            if ftype == gf.LOG:
                self.logs.append(payload)
            elif ftype == wanted:
                return payload
            else:
                raise AssertionError('unexpected control frame %d' % ftype)

    def spawn(self, token):
        self.logs = []
        self.control.sock.sendall(gf.frame(gf.SPAWN, struct.pack('>I', 1) + token.encode()))
        payload = self.control_frame(gf.FORKED)
        self.assertEqual(token, payload[4:].decode())
        return struct.unpack_from('>I', payload)[0]


def alive(pid):
    """True while pid runs: it exists and is not a zombie (an orphan's new parent may not reap it at once)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


# A stand-in master: starts the fork server with the settings of argv[2] (adding its own pid), then waits to die.
STAND_IN_MASTER = """
import json, os, subprocess, sys, time
settings = json.loads(sys.argv[2])
settings['master_pid'] = os.getpid()
p = subprocess.Popen([sys.executable, sys.argv[1], 'test'], stdin=subprocess.PIPE)
p.stdin.write(json.dumps(settings).encode())
p.stdin.close()
time.sleep(60)
"""


class ForkServerTest(ForkServerHarness, unittest.TestCase):
    """The script run as the master runs it, against a listening socket standing in for the master."""

    def test_preload_import_error_is_reported_with_its_traceback_and_status_78(self):
        self.start('import no_such_module_here\n', preload=True)
        ftype, payload = self.control.read_frame()
        self.assertEqual(gf.BOOT_FAILED, ftype)
        self.assertEqual('Traceback (most recent call last):\n  File "%s", line 1, in <module>\n'
                         '    import no_such_module_here\n'
                         "ModuleNotFoundError: No module named 'no_such_module_here'\n"
                         % os.path.join(self.dir, 'app.py'), payload.decode(), 'the traceback starts at the app')
        with self.assertRaises(subprocess.TimeoutExpired, msg='waits for the master to take the traceback'):
            self.process.wait(0.5)
        self.control.sock.close()
        self.assertEqual(gf.BOOT_FAILED_STATUS, self.process.wait(TIMEOUT))

    def test_forks_a_worker_that_serves_relays_output_and_is_reaped(self):
        self.start('print("loading", flush=True)\n'
                   'def application(environ, start_response):\n'
                   '    print("serving", environ["PATH_INFO"])\n'
                   '    start_response("200 OK", [("Content-Type", "text/plain")])\n'
                   '    return [b"hi"]\n', preload=False, threads=2)
        self.assertEqual(gf.READY, self.control.read_frame()[0])
        pid = self.spawn('w1')
        lanes = [self.accept(), self.accept()]
        self.assertEqual({(gf.ROLE_LANE, pid, 0, 'w1'), (gf.ROLE_LANE, pid, 1, 'w1')},
                         {self.hello(lane) for lane in lanes})
        lane = lanes[0]
        lane.sock.sendall(request_frame(base_environ(PATH_INFO='/x')))
        self.assertEqual(gf.START, lane.read_frame()[0])
        self.assertEqual((gf.DATA, b'hi'), lane.read_frame())
        self.assertEqual(gf.END, lane.read_frame()[0])
        for each in lanes:
            each.sock.sendall(gf.frame(gf.STOP))
        exited = self.control_frame(gf.EXITED)
        self.assertEqual((pid, 0), struct.unpack('>Ii', exited))
        # whole lines, though two may come in one LOG frame when the worker wrote both before the relay read
        stdout = b''.join(p[5:] for p in self.logs if struct.unpack_from('>IB', p) == (pid, gf.STREAM_STDOUT))
        self.assertEqual([b'loading', b'serving /x'], stdout.splitlines())

    def test_worker_import_error_is_reported_on_its_own_connection(self):
        self.start('raise RuntimeError("broken app")\n', preload=False)
        self.assertEqual(gf.READY, self.control.read_frame()[0])
        pid = self.spawn('w2')
        report = self.accept()
        self.assertEqual((gf.ROLE_BOOT_REPORT, pid, 0, 'w2'), self.hello(report))
        ftype, payload = report.read_frame()
        self.assertEqual(gf.BOOT_FAILED, ftype)
        self.assertIn('RuntimeError: broken app', payload.decode())
        report.sock.close()
        self.assertEqual((pid, gf.BOOT_FAILED_STATUS), struct.unpack('>Ii', self.control_frame(gf.EXITED)))

    def test_reports_a_killed_worker_with_the_signal(self):
        self.start('def application(e, s):\n    return []\n', preload=True)
        self.assertEqual(gf.READY, self.control.read_frame()[0])
        pid = self.spawn('w3')
        self.hello(self.accept())
        os.kill(pid, signal.SIGKILL)
        self.assertEqual((pid, -signal.SIGKILL), struct.unpack('>Ii', self.control_frame(gf.EXITED)))

    def test_exits_when_the_master_closes_the_control_connection(self):
        self.start('def application(e, s):\n    return []\n', preload=False)
        self.assertEqual(gf.READY, self.control.read_frame()[0])
        self.control.sock.close()
        self.assertEqual(0, self.process.wait(TIMEOUT))


class CompatibilityTest(unittest.TestCase):
    def test_the_script_is_python_3_9_syntax(self):
        # workers run on whichever interpreter the config names, 3.9 or newer; only a newer one is installed here
        import ast
        here = os.path.dirname(gw.__file__)
        for path in [os.path.join(here, name + '.py') for name in gw.SIBLINGS] + [gw.__file__]:
            with self.subTest(os.path.basename(path)), open(path, encoding='utf-8') as f:
                ast.parse(f.read(), filename=path, feature_version=(3, 9))

    def test_the_script_loads_every_module_beside_it(self):
        # no search of sys.path finds a module in the master's run directory, which the app's user cannot list
        here = os.path.dirname(gw.__file__)
        shipped = [n[:-3] for n in os.listdir(here) if n.startswith('gatehouse_') and n.endswith('.py')]
        self.assertEqual(sorted(shipped), sorted(gw.SIBLINGS + ('gatehouse_worker',)))

    def test_the_modules_find_one_another_without_sys_path(self):
        code = ('import importlib.util, sys\n'
                'spec = importlib.util.spec_from_file_location("gatehouse_worker", sys.argv[1])\n'
                'spec.loader.exec_module(importlib.util.module_from_spec(spec))\n')
        with tempfile.TemporaryDirectory() as elsewhere:
            # -I: neither the script's directory nor the working directory is on sys.path
            done = subprocess.run([sys.executable, '-I', '-B', '-c', code, gw.__file__], cwd=elsewhere,
                                  capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(0, done.returncode, done.stderr)


if __name__ == '__main__':
    unittest.main()
