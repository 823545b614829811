"""The direct path (gatehouse_direct, with gatehouse_direct_head and gatehouse_direct_exchange): a worker accepting
uwsgi connections itself, on real unix sockets."""
import os
import socket
import struct
import sys
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'main', 'resources', 'io', 'gatehouse', 'runtime', 'python'))

import gatehouse_worker  # noqa: E402,F401  (loads every gatehouse_ module, by path)
import gatehouse_direct as direct  # noqa: E402
import gatehouse_direct_head as head  # noqa: E402
import gatehouse_frames as gf  # noqa: E402
import gatehouse_wsgi_io as wsgi_io  # noqa: E402

TIMEOUT = 10

NGINX_VARS = [
    ('QUERY_STRING', 'a=1'), ('REQUEST_METHOD', 'GET'), ('CONTENT_TYPE', ''), ('CONTENT_LENGTH', ''),
    ('REQUEST_URI', '/app/x?a=1'), ('PATH_INFO', '/app/x'), ('DOCUMENT_ROOT', '/usr/share/nginx/html'),
    ('SERVER_PROTOCOL', 'HTTP/1.1'), ('REQUEST_SCHEME', 'http'), ('REMOTE_ADDR', '127.0.0.1'),
    ('REMOTE_PORT', '40000'), ('SERVER_PORT', '80'), ('SERVER_NAME', 'localhost'), ('HTTP_HOST', 'localhost'),
    ('HTTP_USER_AGENT', 'curl/7.88.1'),
]


def packet(pairs, modifier1=0, modifier2=0):
    data = b''.join(struct.pack('<H', len(k)) + k.encode('latin-1') + struct.pack('<H', len(v)) + v.encode('latin-1')
                    for k, v in pairs)
    return struct.pack('<BHB', modifier1, len(data), modifier2) + data


def overrun(data):
    """The packet with a last key that claims more bytes than the block has."""
    block = data[4:] + b'\x05\x00ab'
    return struct.pack('<BHB', 0, len(block), 0) + block


def replace(pairs, **changes):
    out = [(k, changes.pop(k)) if k in changes else (k, v) for k, v in pairs]
    return [p for p in out if p[1] is not None] + [(k, v) for k, v in changes.items() if v is not None]


def spec(**over):
    s = {'name': 'up', 'buffer_size': 65535, 'max_vars': 1000, 'limit_post': 0, 'body_timeout': 5,
         'send_timeout': 5, 'lingering_time': 1, 'lingering_timeout': 1, 'handback': '', 'mount': '/'}
    s.update(over)
    return s


def listener(**over):
    a, b = socket.socketpair()
    b.close()
    return direct.Listener(spec(**over), a)


class ParseTest(unittest.TestCase):
    def test_nginx_head_is_taken_whole(self):
        data = packet(NGINX_VARS) + b'body'
        size, environ = head.parse_head(data, listener())
        self.assertEqual(len(data) - 4, size)
        self.assertEqual('/app/x', environ['PATH_INFO'])

    def test_what_the_master_must_answer_is_left_to_it(self):
        cases = {
            'a modifier': packet(NGINX_VARS, modifier1=5),
            'modifier2': packet(NGINX_VARS, modifier2=1),
            'a magic var': packet(NGINX_VARS + [('UWSGI_SCRIPT', 'x')]),
            'a repeated var': packet(NGINX_VARS + [('HTTP_COOKIE', 'a'), ('HTTP_COOKIE', 'b')]),
            'SCRIPT_NAME': packet(NGINX_VARS + [('SCRIPT_NAME', '/app')]),
            'a var past the block': overrun(packet(NGINX_VARS)),
            'no PATH_INFO': packet(replace(NGINX_VARS, PATH_INFO=None)),
            'no REQUEST_METHOD': packet(replace(NGINX_VARS, REQUEST_METHOD='')),
            'a cut block': packet(NGINX_VARS)[:-3],
        }
        for name, data in cases.items():
            with self.subTest(name):
                self.assertIsNone(head.parse_head(data, listener()))

    def test_limits_leave_it_to_the_master(self):
        self.assertIsNone(head.parse_head(packet(NGINX_VARS), listener(buffer_size=64)))
        self.assertIsNone(head.parse_head(packet(NGINX_VARS), listener(max_vars=3)))
        environ = head.parse_head(packet(replace(NGINX_VARS, CONTENT_LENGTH='10')), listener())[1]
        self.assertIsNone(head.complete(environ, listener(limit_post=9)))
        environ = head.parse_head(packet(replace(NGINX_VARS, CONTENT_LENGTH='1x')), listener())[1]
        self.assertIsNone(head.complete(environ, listener()))


class CompleteTest(unittest.TestCase):
    def environ(self, pairs=NGINX_VARS, **over):
        return head.parse_head(packet(pairs), listener(**over))[1]

    def test_split_at_the_mount_and_framing_fields_folded(self):
        pairs = NGINX_VARS + [('HTTP_CONTENT_TYPE', 'text/x'), ('HTTP_CONTENT_LENGTH', '0'),
                              ('HTTP_TRANSFER_ENCODING', 'chunked')]
        environ = self.environ(replace(pairs, CONTENT_TYPE=None))
        self.assertEqual(0, head.complete(environ, listener(mount='/app')))
        self.assertEqual(('/app', '/x'), (environ['SCRIPT_NAME'], environ['PATH_INFO']))
        self.assertEqual('text/x', environ['CONTENT_TYPE'])
        for gone in ('HTTP_CONTENT_TYPE', 'HTTP_CONTENT_LENGTH', 'HTTP_TRANSFER_ENCODING'):
            self.assertNotIn(gone, environ)
        self.assertEqual(('0', '0', 'up', 'uwsgi', 'http'), (
            environ['uwsgi.modifier1'], environ['uwsgi.modifier2'], environ['gatehouse.listener'],
            environ['gatehouse.protocol'], environ['wsgi.url_scheme']))

    def test_a_path_outside_the_mount_goes_to_the_master(self):
        self.assertIsNone(head.complete(self.environ(), listener(mount='/other')))
        self.assertIsNone(head.complete(self.environ(), listener(mount='/ap')))

    def test_an_empty_server_name_is_filled_from_the_host_once_the_master_said_so(self):
        once = listener()
        pairs = replace(NGINX_VARS, SERVER_NAME='', SERVER_PORT='', HTTP_HOST='[::1]:8080')
        self.assertIsNone(head.complete(self.environ(pairs), once), 'the first goes to the master, which logs it')
        environ = self.environ(pairs)
        self.assertEqual(0, head.complete(environ, once))
        self.assertEqual(('[::1]', '8080'), (environ['SERVER_NAME'], environ['SERVER_PORT']))
        self.assertIsNone(head.complete(self.environ(replace(pairs, HTTP_HOST=None)), once),
                          'without a Host the master fills them from its address')

    def test_scheme_as_the_master_decides_it(self):
        for https, scheme, expected in (('on', 'http', 'https'), ('1', '', 'https'), ('', 'HTTPS', 'https'),
                                        ('off', 'http', 'http')):
            environ = self.environ(replace(NGINX_VARS, REQUEST_SCHEME=scheme, HTTPS=https))
            head.complete(environ, listener())
            self.assertEqual(expected, environ['wsgi.url_scheme'])


class FakeWorker:
    def __init__(self, app, board_dir):
        self.app = app
        self.threads = 1
        self.stopping = False
        self.token = 'tok'
        self.reports = []
        self.environ_base = {'wsgi.version': (1, 0), 'wsgi.errors': sys.stderr}
        with open(os.path.join(board_dir, 'tok'), 'wb') as f:
            f.write(b'\0' * direct.SLOT)


class ServeTest(unittest.TestCase):
    """A worker's direct path against a real listening unix socket and a hand-back socket."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.path = os.path.join(self.dir, 'up.sock')
        self.server_sock = socket.socket(socket.AF_UNIX)
        self.server_sock.bind(self.path)
        self.server_sock.listen(8)
        self.handback = socket.socket(socket.AF_UNIX)
        self.handback.bind(os.path.join(self.dir, 'hb.sock'))
        self.handback.listen(1)

    def tearDown(self):
        self.server_sock.close()
        self.handback.close()
        for name in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, name))
        os.rmdir(self.dir)

    def server(self, app, max_requests=0, **over):
        worker = FakeWorker(app, self.dir)
        settings = {'board_dir': self.dir, 'harakiri': 0, 'max_requests': max_requests,
                    'listeners': [spec(handback=os.path.join(self.dir, 'hb.sock'), **over)]}
        kinds = (0, 1, 2)
        server = direct.Server(worker, settings, [self.server_sock], {
            'file_wrapper': wsgi_io.FileWrapper, 'report': lambda slot, text, kind: worker.reports.append((kind, text)),
            'kinds': kinds})
        self.addCleanup(server.close)
        return server

    def exchange(self, server, data, shut=False):
        client = socket.socket(socket.AF_UNIX)
        client.settimeout(TIMEOUT)
        client.connect(self.path)
        client.sendall(data)
        if shut:
            client.shutdown(socket.SHUT_WR)
        server.accept(server.listeners[0], 0)
        return client

    @staticmethod
    def read_all(client):
        out = b''
        while True:
            d = client.recv(65536)
            if not d:
                return out
            out += d

    def test_answers_with_content_length_and_counts_it_on_the_board(self):
        def app(environ, start_response):
            start_response('200 OK', [('Content-Type', 'text/plain'), ('Connection', 'keep-alive')])
            return [environ['PATH_INFO'].encode(), b'!']
        server = self.server(app)
        client = self.exchange(server, packet(NGINX_VARS))
        self.assertEqual(b'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n\r\n/app/x!',
                         self.read_all(client))
        client.close()
        self.assertEqual((0, 1), direct.SLOT_TIMES.unpack_from(server.board.map, 0))

    def test_takes_no_connection_past_max_requests(self):
        def app(environ, start_response):
            start_response('200 OK', [])
            return [b'x']
        server = self.server(app, max_requests=1)
        client = self.exchange(server, packet(NGINX_VARS))
        self.assertTrue(self.read_all(client).endswith(b'\r\n\r\nx'))
        client.close()
        waiting = self.exchange(server, packet(NGINX_VARS))
        waiting.settimeout(0.2)
        with self.assertRaises(socket.timeout, msg='left in the listen queue for the other workers'):
            waiting.recv(1)
        waiting.close()

    def test_reads_the_body_and_lingers_over_what_the_app_left(self):
        seen = []

        def app(environ, start_response):
            seen.append(environ['wsgi.input'].read(3))
            start_response('200 OK', [])
            return []
        server = self.server(app)
        client = self.exchange(server, packet(replace(NGINX_VARS, CONTENT_LENGTH='6')) + b'abcdef', shut=True)
        self.assertEqual(b'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', self.read_all(client))
        client.close()
        self.assertEqual([b'abc'], seen)

    def test_a_failing_app_gets_500_and_its_traceback_reported(self):
        def app(environ, start_response):
            raise RuntimeError('boom')
        server = self.server(app)
        client = self.exchange(server, packet(NGINX_VARS))
        self.assertTrue(self.read_all(client).startswith(b'HTTP/1.1 500 Internal Server Error\r\n'))
        client.close()
        kind, text = server.worker.reports[0]
        self.assertEqual(1, kind)
        self.assertIn('on GET /app/x?a=1 from 127.0.0.1:40000 failed:\nTraceback', text)
        self.assertIn('RuntimeError: boom', text)

    def test_head_and_204_carry_no_body(self):
        def app(environ, start_response):
            start_response('204 No Content' if environ['PATH_INFO'] == '/app/x' else '200 OK', [])
            return [b'dropped']
        server = self.server(app)
        client = self.exchange(server, packet(NGINX_VARS))
        self.assertEqual(b'HTTP/1.1 204 No Content\r\n\r\n', self.read_all(client))
        client.close()
        client = self.exchange(server, packet(replace(NGINX_VARS, REQUEST_METHOD='HEAD', PATH_INFO='/')))
        self.assertEqual(b'HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n', self.read_all(client))
        client.close()

    def test_hands_back_what_it_does_not_take_unread(self):
        server = self.server(lambda environ, start_response: [])
        data = packet(NGINX_VARS + [('UWSGI_CHDIR', '/tmp')])
        client = self.exchange(server, data)
        master, _ = self.handback.accept()
        with master:
            msg, fds, _, _ = socket.recv_fds(master, 1, 1)
            self.assertEqual(b'\0', msg)
            with socket.socket(fileno=fds[0]) as returned:
                returned.settimeout(TIMEOUT)
                self.assertEqual(data, returned.recv(65536), 'nothing of it was read')
                returned.sendall(b'answered by the master')
        self.assertEqual(b'answered by the master', self.read_all(client))
        client.close()

    def test_a_slow_head_is_handed_back_after_a_moment(self):
        server = self.server(lambda environ, start_response: [])
        client = self.exchange(server, packet(NGINX_VARS)[:10])
        master, _ = self.handback.accept()
        with master:
            _, fds, _, _ = socket.recv_fds(master, 1, 1)
            os.close(fds[0])
        client.close()

    def test_serve_reads_the_lane_first_and_stops_on_stop(self):
        server = self.server(lambda environ, start_response: [])

        class Lane:
            def __init__(self):
                self.sock, self.other = socket.socketpair()
                self.pending = []
                self.conn = gf.Connection(self.sock)
                self.seen = []

            def next_frame(self):
                return self.conn.read_frame()

            def on_frame(self, ftype, payload):
                self.seen.append(ftype)
                return ftype != gf.STOP
        lane = Lane()
        lane.other.sendall(gf.frame(gf.PING) + gf.frame(gf.STOP))
        done = threading.Thread(target=server.serve, args=(lane, 0))
        done.start()
        done.join(TIMEOUT)
        self.assertFalse(done.is_alive())
        self.assertEqual([gf.PING, gf.STOP], lane.seen)
        lane.sock.close()
        lane.other.close()


if __name__ == '__main__':
    unittest.main()
