"""The ASGI side of the worker script against a scripted master on socketpairs (run by PythonWorkerScriptTest)."""
import asyncio
import contextlib
import functools
import io
import os
import signal
import socket
import struct
import sys
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'main', 'resources', 'io', 'gatehouse', 'runtime', 'python'))

import gatehouse_worker  # noqa: E402,F401  (loads every gatehouse_ module, by path)
import gatehouse_asgi as asgi  # noqa: E402
import gatehouse_asgi_scope as asgi_scope  # noqa: E402
import gatehouse_frames as gf  # noqa: E402
import test_gatehouse_worker as worker_tests  # noqa: E402
from test_gatehouse_worker import TIMEOUT, base_environ, parse_start, request_frame  # noqa: E402


def ordinal(seq):
    return struct.pack('>I', seq)


class Response:
    """What a lane sent for one request: the START fields, the body, and the frame types in order."""

    def __init__(self):
        self.status = None
        self.headers = None
        self.length = None
        self.body = b''
        self.types = []
        self.abort = None


class LoopLanes:
    """The master's end of `count` loop lanes to an AsgiWorker whose event loop runs in a thread."""

    def __init__(self, app, count=1, state=None):
        self.worker = asgi.AsgiWorker({'concurrency': count}, app, False)
        self.worker.state.update(state or {})
        self.loop = self.worker.loop = asyncio.new_event_loop()
        pairs = [socket.socketpair() for _ in range(count)]
        self.socks = [master for master, _ in pairs]
        for sock in self.socks:
            sock.settimeout(TIMEOUT)
        self.conns = [gf.Connection(sock) for sock in self.socks]
        self.failure = None
        self.thread = threading.Thread(target=self._run, args=([lane for _, lane in pairs],), daemon=True)
        self.thread.start()

    def _run(self, socks):
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self.worker.serve(socks))
        except BaseException as e:
            self.failure = e
        finally:
            for task in asyncio.all_tasks(self.loop):
                task.cancel()
            self.loop.run_until_complete(asyncio.sleep(0))
            self.loop.close()

    def send(self, lane, *frames):
        self.socks[lane].sendall(b''.join(frames))

    def frame(self, lane=0):
        ftype, payload = self.conns[lane].read_frame()
        if ftype is None:
            raise AssertionError('the worker closed lane %d' % lane)
        return ftype, payload

    def response(self, lane=0):
        """Frames until END or ABORT."""
        r = Response()
        while True:
            ftype, payload = self.frame(lane)
            r.types.append(ftype)
            if ftype == gf.START:
                r.status, r.headers, r.length = parse_start(payload)
            elif ftype in (gf.DATA, gf.DATA_LAST):
                r.body += payload
            elif ftype == gf.ABORT:
                r.abort = payload.decode()
                return r
            elif ftype == gf.END:
                return r
            else:
                raise AssertionError('unexpected frame %d' % ftype)

    def call_soon(self, fn):
        self.loop.call_soon_threadsafe(fn)

    def close(self):
        for sock in self.socks:
            try:
                sock.sendall(gf.frame(gf.STOP))
            except OSError:
                pass
        self.thread.join(TIMEOUT)
        for sock in self.socks:
            sock.close()


class LoopEvent:
    """An asyncio.Event made in the worker's loop when first used (Python 3.9 binds one to a loop when it is made)."""

    def __init__(self):
        self.event = None

    def get(self):
        if self.event is None:
            self.event = asyncio.Event()
        return self.event

    async def wait(self):
        await self.get().wait()

    def set(self):
        self.get().set()


async def hello_app(scope, receive, send):
    await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'text/plain')]})
    await send({'type': 'http.response.body', 'body': b'Hello, world!\n'})


class AsgiCase(unittest.TestCase):
    def lanes(self, app, count=1, state=None):
        lanes = LoopLanes(app, count, state)
        self.addCleanup(lanes.close)
        return lanes


class ScopeTest(unittest.TestCase):
    def test_builds_the_http_scope_from_the_environ(self):
        environ = base_environ(SCRIPT_NAME='/app', PATH_INFO='/caf\u00c3\u00a9 x', QUERY_STRING='a=1&b=%C3%A9',
                               REQUEST_URI='/app/caf%C3%A9%20x?a=1&b=%C3%A9', REQUEST_METHOD='POST',
                               SERVER_PROTOCOL='HTTP/1.0', CONTENT_TYPE='text/plain', CONTENT_LENGTH='3',
                               HTTP_HOST='example.org', HTTP_X_FORWARDED_FOR='10.0.0.1', REMOTE_ADDR='127.0.0.1',
                               REMOTE_PORT='4242', SERVER_NAME='example.org', SERVER_PORT='8080',
                               HTTP_COOKIE='a=\u00e9')
        environ['wsgi.url_scheme'] = 'https'
        state = {'pool': 'db'}
        scope = asgi_scope.http_scope(environ, state)
        self.assertEqual('http', scope['type'])
        self.assertEqual({'version': '3.0', 'spec_version': '2.4'}, scope['asgi'])
        self.assertEqual(('1.0', 'POST', 'https'), (scope['http_version'], scope['method'], scope['scheme']))
        self.assertEqual('/app/caf\u00e9 x', scope['path'])
        self.assertEqual('/app', scope['root_path'])
        self.assertEqual(b'/app/caf%C3%A9%20x', scope['raw_path'])
        self.assertEqual(b'a=1&b=%C3%A9', scope['query_string'])
        self.assertEqual(('127.0.0.1', 4242), scope['client'])
        self.assertEqual(('example.org', 8080), scope['server'])
        headers = dict(scope['headers'])
        self.assertEqual(b'example.org', headers[b'host'])
        self.assertEqual(b'10.0.0.1', headers[b'x-forwarded-for'])
        self.assertEqual(b'a=\xe9', headers[b'cookie'])
        self.assertEqual(b'text/plain', headers[b'content-type'])
        self.assertEqual(b'3', headers[b'content-length'])
        self.assertEqual(state, scope['state'])
        self.assertIsNot(state, scope['state'])
        self.assertEqual('a=\u00e9', scope['extensions']['gatehouse.environ']['HTTP_COOKIE'])

    def test_replaces_invalid_utf8_and_keeps_the_raw_bytes(self):
        scope = asgi_scope.http_scope(base_environ(PATH_INFO='/\u00ff\u0001end', REQUEST_URI='/%FF%01end'), {})
        self.assertEqual('/\ufffd\u0001end', scope['path'])
        self.assertEqual(b'/%FF%01end', scope['raw_path'])

    def test_leaves_out_what_the_environ_does_not_hold(self):
        environ = base_environ()
        del environ['SERVER_PORT']
        scope = asgi_scope.http_scope(environ, {})
        self.assertIsNone(scope['raw_path'])
        self.assertIsNone(scope['client'])
        self.assertEqual(('localhost', None), scope['server'])
        self.assertEqual([], scope['headers'])

    def test_takes_the_path_of_an_absolute_request_uri(self):
        scope = asgi_scope.http_scope(base_environ(REQUEST_URI='http://example.org:8080/a/b?q'), {})
        self.assertEqual(b'/a/b', scope['raw_path'])


class InterfaceTest(unittest.TestCase):
    def test_detects_unambiguous_asgi_callables(self):
        class App:
            async def __call__(self, scope, receive, send):
                pass

        async def app(scope, receive, send):
            pass

        self.assertEqual('asgi3', asgi_scope.app_interface(app, None))
        self.assertEqual('asgi3', asgi_scope.app_interface(App(), None))
        self.assertEqual('asgi3', asgi_scope.app_interface(functools.partial(app, {}), None))
        self.assertEqual('wsgi', asgi_scope.app_interface(lambda environ, start_response: [], None))
        self.assertEqual('wsgi', asgi_scope.app_interface(App, None), 'a class is a WSGI app unless asked otherwise')

    def test_an_explicit_interface_wins_or_fails_clearly(self):
        async def app(scope, receive, send):
            pass

        class Legacy:
            def __init__(self, scope):
                pass

        with self.assertRaisesRegex(TypeError, 'interface is wsgi, but the callable is a coroutine function'):
            asgi_scope.app_interface(app, 'wsgi')
        self.assertEqual('asgi2', asgi_scope.app_interface(Legacy, 'asgi'))
        self.assertEqual('asgi2', asgi_scope.app_interface(lambda scope: None, 'asgi'))
        self.assertEqual('asgi3', asgi_scope.app_interface(lambda scope, receive, send: app(scope, receive, send),
                                                           'asgi'))
        with self.assertRaisesRegex(TypeError, 'takes 2 positional arguments'):
            asgi_scope.app_interface(lambda environ, start_response: [], 'asgi')

    def test_runs_an_asgi2_double_callable(self):
        class Legacy:
            def __init__(self, scope):
                self.path = scope['path']

            async def __call__(self, receive, send):
                await send({'type': 'http.response.start', 'status': 200})
                await send({'type': 'http.response.body', 'body': self.path.encode()})

        worker = asgi.AsgiWorker({}, Legacy, True)
        lanes = LoopLanes(worker.app)
        self.addCleanup(lanes.close)
        lanes.send(0, request_frame(base_environ(PATH_INFO='/legacy')))
        self.assertEqual(b'/legacy', lanes.response().body)


class ResponseTest(AsgiCase):
    def test_a_whole_response_goes_out_in_one_write_with_its_end(self):
        lanes = self.lanes(hello_app)
        lanes.send(0, request_frame(base_environ()))
        data = lanes.socks[0].recv(65536)
        frames = []
        pos = 0
        while pos < len(data):
            length, ftype = gf.HEADER.unpack_from(data, pos)
            frames.append((ftype, data[pos + 5:pos + 5 + length]))
            pos += 5 + length
        self.assertEqual([gf.START, gf.DATA_LAST, gf.END], [f for f, _ in frames])
        self.assertEqual(('200', [('content-type', 'text/plain')], 14), parse_start(frames[0][1]))
        self.assertEqual(b'Hello, world!\n', frames[1][1])

    def test_streams_bodies_with_an_unknown_length(self):
        async def app(scope, receive, send):
            await send({'type': 'http.response.start', 'status': 201, 'headers': []})
            for i in range(3):
                await send({'type': 'http.response.body', 'body': b'%d' % i, 'more_body': True})
            await send({'type': 'http.response.body', 'body': b''})

        lanes = self.lanes(app)
        lanes.send(0, request_frame(base_environ()))
        r = lanes.response()
        self.assertEqual(('201', -1, b'012'), (r.status, r.length, r.body))
        self.assertEqual([gf.START, gf.DATA, gf.DATA, gf.DATA, gf.DATA_LAST, gf.END], r.types)

    def test_announces_the_content_length_and_splits_large_bodies(self):
        big = b'x' * (gf.DATA_PIECE * 2 + 10)

        async def app(scope, receive, send):
            await send({'type': 'http.response.start', 'status': 200,
                        'headers': [(b'content-length', b'%d' % len(big))]})
            await send({'type': 'http.response.body', 'body': big})

        lanes = self.lanes(app)
        lanes.send(0, request_frame(base_environ()))
        r = lanes.response()
        self.assertEqual((len(big), big), (r.length, r.body))
        self.assertEqual([gf.START, gf.DATA, gf.DATA, gf.DATA_LAST, gf.END], r.types)

    def test_head_gets_the_length_without_the_body(self):
        lanes = self.lanes(hello_app)
        lanes.send(0, request_frame(base_environ(REQUEST_METHOD='HEAD')))
        r = lanes.response()
        self.assertEqual((14, b''), (r.length, r.body))

    def test_work_after_the_final_body_holds_the_lane_but_not_the_response(self):
        release = threading.Event()
        done = []

        async def app(scope, receive, send):
            await send({'type': 'http.response.start', 'status': 200})
            await send({'type': 'http.response.body', 'body': b'done'})
            await asyncio.get_running_loop().run_in_executor(None, release.wait, TIMEOUT)
            done.append(True)

        lanes = self.lanes(app)
        lanes.send(0, request_frame(base_environ()))
        self.assertEqual(gf.START, lanes.frame()[0])
        self.assertEqual((gf.DATA_LAST, b'done'), lanes.frame())
        release.set()
        self.assertEqual(gf.END, lanes.frame()[0])
        self.assertEqual([True], done)

    def test_failures_abort_or_go_to_the_log(self):
        async def app(scope, receive, send):
            path = scope['path']
            if path == '/raise':
                raise RuntimeError('broken app')
            if path == '/nothing':
                return
            await send({'type': 'http.response.start', 'status': 200})
            if path == '/half':
                await send({'type': 'http.response.body', 'body': b'x', 'more_body': True})
                return
            if path == '/header':
                await send({'type': 'http.response.start', 'status': 200})
            await send({'type': 'http.response.body', 'body': b'ok'})
            raise RuntimeError('after the response')

        lanes = self.lanes(app)
        for path, expected in (('/raise', 'RuntimeError: broken app'),
                               ('/nothing', 'returned without sending a response'),
                               ('/half', 'returned without completing its response'),
                               ('/header', 'http.response.start was sent twice')):
            lanes.send(0, request_frame(base_environ(PATH_INFO=path)))
            r = lanes.response()
            self.assertIn(expected, r.abort or '', path)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            lanes.send(0, request_frame(base_environ(PATH_INFO='/after')))
            r = lanes.response()
        self.assertEqual((b'ok', gf.END, None), (r.body, r.types[-1], r.abort))
        self.assertIn('failed after its response was complete', err.getvalue())
        self.assertIn('RuntimeError: after the response', err.getvalue())

    def test_refuses_a_bad_head(self):
        async def app(scope, receive, send):
            headers = {'/str': [('content-type', 'text/plain')], '/crlf': [(b'x', b'a\r\nb')]}.get(scope['path'], [])
            await send({'type': 'http.response.start', 'status': 200 if scope['path'] != '/status' else '200',
                        'headers': headers})
            await send({'type': 'http.response.body'})

        lanes = self.lanes(app)
        for path, expected in (('/str', 'must be bytes'), ('/crlf', 'CR, LF or NUL'), ('/status', 'integer status')):
            lanes.send(0, request_frame(base_environ(PATH_INFO=path)))
            self.assertIn(expected, lanes.response().abort or '', path)

    def test_answers_ping_while_a_request_runs(self):
        release = LoopEvent()

        async def app(scope, receive, send):
            await release.wait()
            await hello_app(scope, receive, send)

        lanes = self.lanes(app)
        lanes.send(0, request_frame(base_environ()), gf.frame(gf.PING))
        self.assertEqual(gf.PONG, lanes.frame()[0])
        lanes.call_soon(release.set)
        self.assertEqual(b'Hello, world!\n', lanes.response().body)


class RequestBodyTest(AsgiCase):
    def echo_app(self, messages):
        async def app(scope, receive, send):
            body = b''
            while True:
                message = await receive()
                messages.append((message['body'], message['more_body']))
                body += message['body']
                if not message['more_body']:
                    break
            await send({'type': 'http.response.start', 'status': 200})
            await send({'type': 'http.response.body', 'body': body})
        return app

    def test_an_inline_body_comes_in_one_message(self):
        messages = []
        lanes = self.lanes(self.echo_app(messages))
        lanes.send(0, request_frame(base_environ(), gf.BODY_INLINE), gf.frame(gf.BODY, b'ab'),
                   gf.frame(gf.BODY_LAST, b'c'))
        self.assertEqual(b'abc', lanes.response().body)
        self.assertEqual([(b'abc', False)], messages)

    def test_no_body_is_one_empty_message(self):
        messages = []
        lanes = self.lanes(self.echo_app(messages))
        lanes.send(0, request_frame(base_environ()))
        self.assertEqual(b'', lanes.response().body)
        self.assertEqual([(b'', False)], messages)

    def test_asks_for_each_piece_as_the_app_receives(self):
        messages = []
        lanes = self.lanes(self.echo_app(messages))
        lanes.send(0, request_frame(base_environ(), gf.BODY_ON_REQUEST))
        self.assertEqual((gf.MORE, struct.pack('>I', gf.BODY_CREDIT)), lanes.frame())
        lanes.send(0, gf.frame(gf.BODY, b'one'))
        self.assertEqual(gf.MORE, lanes.frame()[0])
        lanes.send(0, gf.frame(gf.BODY, b'two'))
        self.assertEqual(gf.MORE, lanes.frame()[0])
        lanes.send(0, gf.frame(gf.BODY_LAST, b''))
        self.assertEqual(b'onetwo', lanes.response().body)
        self.assertEqual([(b'one', True), (b'two', True), (b'', False)], messages)

    def test_frames_split_across_reads_and_lanes_arrive_whole(self):
        # the lanes share one read buffer: a frame's first part must outlive another lane's read
        messages = []
        lanes = self.lanes(self.echo_app(messages), count=2)
        big = bytes(range(256)) * (asgi.READ_SIZE // 256 + 1000)
        first = request_frame(base_environ(), gf.BODY_INLINE) + gf.frame(gf.BODY_LAST, big)
        for at in range(0, len(first), 100000):
            lanes.send(0, first[at:at + 100000])
            lanes.send(1, request_frame(base_environ()))
            self.assertEqual(b'', lanes.response(1).body)
        self.assertEqual(big, lanes.response(0).body)

    def test_an_aborted_body_is_a_disconnect(self):
        seen = []

        async def app(scope, receive, send):
            seen.append(await receive())
            seen.append(await receive())

        lanes = self.lanes(app)
        lanes.send(0, request_frame(base_environ(), gf.BODY_ON_REQUEST))
        self.assertEqual(gf.MORE, lanes.frame()[0])
        lanes.send(0, gf.frame(gf.BODY, b'part'))
        self.assertEqual(gf.MORE, lanes.frame()[0])
        lanes.send(0, gf.frame(gf.BODY_ABORT, b'client gone'))
        self.assertEqual([gf.END], lanes.response().types)
        self.assertEqual([{'type': 'http.request', 'body': b'part', 'more_body': True}, {'type': 'http.disconnect'}],
                         seen)

    def test_skips_an_unread_body_and_a_late_cancel_before_the_next_request(self):
        lanes = self.lanes(hello_app)
        lanes.send(0, request_frame(base_environ(), gf.BODY_INLINE), gf.frame(gf.BODY_LAST, b'unread'))
        lanes.response()
        lanes.send(0, gf.frame(gf.CANCEL, ordinal(1)), request_frame(base_environ()))
        self.assertEqual(b'Hello, world!\n', lanes.response().body)


class DisconnectTest(AsgiCase):
    def test_the_app_sees_the_client_leave_and_send_raises(self):
        outcome = []

        async def app(scope, receive, send):
            await receive()
            await send({'type': 'http.response.start', 'status': 200})
            await send({'type': 'http.response.body', 'body': b'first', 'more_body': True})
            outcome.append(await receive())
            try:
                await send({'type': 'http.response.body', 'body': b'more', 'more_body': True})
            except OSError as e:
                outcome.append(type(e).__name__)

        lanes = self.lanes(app)
        lanes.send(0, request_frame(base_environ()))
        self.assertEqual(gf.START, lanes.frame()[0])
        self.assertEqual(gf.DATA, lanes.frame()[0])
        lanes.send(0, gf.frame(gf.CANCEL, ordinal(1)))
        self.assertEqual(gf.END, lanes.frame()[0])
        self.assertEqual([{'type': 'http.disconnect'}, 'ClientDisconnected'], outcome)

    def test_receive_after_the_response_says_disconnect(self):
        seen = []

        async def app(scope, receive, send):
            await receive()
            await hello_app(scope, receive, send)
            seen.append(await receive())

        lanes = self.lanes(app)
        lanes.send(0, request_frame(base_environ()))
        lanes.response()
        self.assertEqual([{'type': 'http.disconnect'}], seen)

    def test_every_task_waiting_in_receive_sees_the_disconnect(self):
        seen = []

        async def app(scope, receive, send):
            await receive()

            async def watch():
                seen.append((await receive())['type'])
            await asyncio.gather(watch(), watch())

        lanes = self.lanes(app)
        lanes.send(0, request_frame(base_environ()), gf.frame(gf.PING))
        self.assertEqual(gf.PONG, lanes.frame()[0])
        lanes.send(0, gf.frame(gf.CANCEL, ordinal(1)))
        self.assertEqual([gf.END], lanes.response().types)
        self.assertEqual(['http.disconnect', 'http.disconnect'], seen)

    def test_a_cancel_naming_another_request_is_ignored(self):
        release = LoopEvent()

        async def app(scope, receive, send):
            await release.wait()
            await hello_app(scope, receive, send)

        lanes = self.lanes(app)
        lanes.send(0, request_frame(base_environ()), gf.frame(gf.CANCEL, ordinal(7)), gf.frame(gf.PING))
        self.assertEqual(gf.PONG, lanes.frame()[0])
        lanes.call_soon(release.set)
        self.assertEqual(b'Hello, world!\n', lanes.response().body)

    def test_a_client_that_cannot_keep_up_pauses_the_app(self):
        sent = []
        chunk = b'z' * 65536

        async def app(scope, receive, send):
            await send({'type': 'http.response.start', 'status': 200})
            for _ in range(200):
                await send({'type': 'http.response.body', 'body': chunk, 'more_body': True})
                sent.append(len(chunk))
            await send({'type': 'http.response.body', 'body': b''})

        lanes = self.lanes(app)
        lanes.send(0, request_frame(base_environ()))
        threading.Event().wait(0.5)
        held = sum(sent)
        self.assertLess(held, 4 << 20, 'the app ran ahead of the master by %d bytes' % held)
        self.assertEqual(200 * len(chunk), len(lanes.response().body))


class HarakiriTest(AsgiCase):
    def test_cancels_only_the_overdue_task_and_logs_where_it_waited(self):
        cancelled = []

        async def app(scope, receive, send):
            if scope['path'] == '/slow':
                try:
                    await asyncio.sleep(60)
                except asyncio.CancelledError:
                    cancelled.append(scope['path'])
                    raise
            await hello_app(scope, receive, send)

        lanes = self.lanes(app, count=2)
        lanes.send(0, request_frame(base_environ(PATH_INFO='/slow', REQUEST_URI='/slow')), gf.frame(gf.PING))
        self.assertEqual(gf.PONG, lanes.frame(0)[0])
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            lanes.send(0, gf.frame(gf.HARAKIRI, ordinal(1)))
            self.assertEqual([gf.END], lanes.response(0).types)
        self.assertEqual(['/slow'], cancelled)
        self.assertIn('harakiri: cancelling GET /slow', err.getvalue())
        self.assertIn('in app', err.getvalue())
        lanes.send(1, request_frame(base_environ()))
        self.assertEqual(b'Hello, world!\n', lanes.response(1).body)
        lanes.send(0, request_frame(base_environ()))
        self.assertEqual(b'Hello, world!\n', lanes.response(0).body)


class ConcurrencyTest(AsgiCase):
    def test_serves_requests_of_every_lane_at_once(self):
        arrived = []
        together = LoopEvent()

        async def app(scope, receive, send):
            arrived.append(scope['path'])
            if len(arrived) == 3:
                together.set()
            await together.wait()
            await send({'type': 'http.response.start', 'status': 200})
            await send({'type': 'http.response.body', 'body': scope['path'].encode()})

        lanes = self.lanes(app, count=3)
        for i in range(3):
            lanes.send(i, request_frame(base_environ(PATH_INFO='/%d' % i)))
        self.assertEqual([b'/0', b'/1', b'/2'], [lanes.response(i).body for i in range(3)])

    def test_stop_closes_a_busy_lane_after_its_request(self):
        release = LoopEvent()

        async def app(scope, receive, send):
            await release.wait()
            await hello_app(scope, receive, send)

        lanes = self.lanes(app, count=2)
        lanes.send(0, request_frame(base_environ()), gf.frame(gf.STOP))
        lanes.send(1, gf.frame(gf.STOP))
        self.assertEqual((None, None), lanes.conns[1].read_frame())
        lanes.call_soon(release.set)
        self.assertEqual(b'Hello, world!\n', lanes.response(0).body)
        self.assertEqual((None, None), lanes.conns[0].read_frame())
        lanes.thread.join(TIMEOUT)
        self.assertFalse(lanes.thread.is_alive())
        self.assertIsNone(lanes.failure)


class LifespanTest(unittest.TestCase):
    def run_lifespan(self, app, mode='auto', between=None):
        """Runs startup, then (if it succeeded) between(worker) and the shutdown; returns (failure, log, worker)."""
        worker = asgi.AsgiWorker({}, app, False)
        loop = worker.loop = asyncio.new_event_loop()
        err = io.StringIO()

        async def cycle():
            lifespan = asgi.AsgiLifespan(worker, mode)
            failure = await lifespan.startup()
            if failure is None:
                if between is not None:
                    between(worker)
                await lifespan.shutdown()
            return failure

        try:
            with contextlib.redirect_stderr(err):
                failure = loop.run_until_complete(asyncio.wait_for(cycle(), TIMEOUT))
        finally:
            loop.close()
        return failure, err.getvalue(), worker

    def test_runs_startup_and_shutdown_and_shares_the_state(self):
        events = []

        async def app(scope, receive, send):
            assert scope['type'] == 'lifespan' and scope['asgi']['version'] == '3.0'
            while True:
                message = await receive()
                events.append(message['type'])
                if message['type'] == 'lifespan.startup':
                    scope['state']['pool'] = 'open'
                    await send({'type': 'lifespan.startup.complete'})
                else:
                    await send({'type': 'lifespan.shutdown.complete'})
                    return

        failure, log, worker = self.run_lifespan(app, between=lambda w: events.append(
            asgi_scope.http_scope(base_environ(), w.state)['state']))
        self.assertIsNone(failure)
        self.assertEqual(['lifespan.startup', {'pool': 'open'}, 'lifespan.shutdown'], events)
        self.assertEqual('', log)

    def test_a_failed_startup_is_a_failed_boot(self):
        async def app(scope, receive, send):
            await receive()
            await send({'type': 'lifespan.startup.failed', 'message': 'no database'})

        failure, log, _ = self.run_lifespan(app)
        self.assertEqual('lifespan startup failed: no database\n', failure)
        self.assertEqual('', log)

    def test_an_app_without_lifespan_is_served_without_it(self):
        async def app(scope, receive, send):
            assert scope['type'] == 'http', 'only http here'

        failure, log, _ = self.run_lifespan(app)
        self.assertIsNone(failure)
        self.assertIn('does not support the ASGI lifespan protocol (AssertionError: only http here)', log)

    def test_lifespan_on_makes_an_unsupported_lifespan_a_failed_start(self):
        async def app(scope, receive, send):
            raise ValueError('no lifespan here')

        failure, _, _ = self.run_lifespan(app, mode='on')
        self.assertIn('failed in its lifespan startup', failure)
        self.assertIn('ValueError: no lifespan here', failure)

    def test_lifespan_off_never_calls_the_app(self):
        async def app(scope, receive, send):
            raise AssertionError('called')

        self.assertEqual((None, ''), self.run_lifespan(app, mode='off')[:2])


LIFESPAN_APP = """
import asyncio, sys

async def application(scope, receive, send):
    if scope['type'] == 'lifespan':
        while True:
            message = await receive()
            if message['type'] == 'lifespan.startup':
                if FAIL:
                    await send({'type': 'lifespan.startup.failed', 'message': 'no database'})
                    return
                scope['state']['greeting'] = b'hi from the loop'
                await send({'type': 'lifespan.startup.complete'})
            else:
                print('shutting down', flush=True)
                await send({'type': 'lifespan.shutdown.complete'})
                return
    await send({'type': 'http.response.start', 'status': 200})
    await send({'type': 'http.response.body', 'body': scope['state']['greeting']})
"""


class AsgiProcessTest(unittest.TestCase):
    """An ASGI worker forked by the fork server, as the master sees it."""

    # the scripted master of the fork server's tests (borrowed, so that its tests do not run here again)
    start = worker_tests.ForkServerTest.start
    stop = worker_tests.ForkServerTest.stop
    accept = worker_tests.ForkServerTest.accept
    hello = worker_tests.ForkServerTest.hello
    control_frame = worker_tests.ForkServerTest.control_frame
    spawn = worker_tests.ForkServerTest.spawn

    def stdout(self, pid):
        """The lines the worker pid wrote to its stdout, as relayed in LOG frames."""
        lines = b''.join(p[5:] for p in self.logs if struct.unpack_from('>IB', p) == (pid, gf.STREAM_STDOUT))
        return lines.splitlines()

    def serving_worker(self, token):
        self.start('FAIL = False\n' + LIFESPAN_APP, preload=True, concurrency=3)
        self.assertEqual(gf.READY, self.control.read_frame()[0])
        pid = self.spawn(token)
        lanes = [self.accept() for _ in range(3)]
        self.assertEqual({(gf.ROLE_LOOP_LANE, pid, i, token) for i in range(3)}, {self.hello(l) for l in lanes})
        lanes[2].sock.sendall(request_frame(base_environ()))
        self.assertEqual(gf.START, lanes[2].read_frame()[0])
        self.assertEqual((gf.DATA_LAST, b'hi from the loop'), lanes[2].read_frame())
        self.assertEqual(gf.END, lanes[2].read_frame()[0])
        return pid, lanes

    def test_detects_the_app_opens_loop_lanes_and_shuts_down_after_stop(self):
        pid, lanes = self.serving_worker('a1')
        for lane in lanes:
            lane.sock.sendall(gf.frame(gf.STOP))
        self.assertEqual((pid, 0), struct.unpack('>Ii', self.control_frame(gf.EXITED)))
        self.assertIn(b'shutting down', self.stdout(pid))

    def test_sigterm_closes_the_lanes_and_runs_the_shutdown(self):
        pid, lanes = self.serving_worker('a2')
        os.kill(pid, signal.SIGTERM)
        for lane in lanes:
            self.assertEqual((None, None), lane.read_frame())
        self.assertEqual((pid, 0), struct.unpack('>Ii', self.control_frame(gf.EXITED)))
        self.assertIn(b'shutting down', self.stdout(pid))

    def test_a_failed_lifespan_startup_is_reported_as_a_boot_failure(self):
        self.start('FAIL = True\n' + LIFESPAN_APP, preload=False, interface='asgi', concurrency=2)
        self.assertEqual(gf.READY, self.control.read_frame()[0])
        pid = self.spawn('a3')
        report = self.accept()
        self.assertEqual((gf.ROLE_BOOT_REPORT, pid, 0, 'a3'), self.hello(report))
        self.assertEqual((gf.BOOT_FAILED, b'lifespan startup failed: no database\n'), report.read_frame())
        report.sock.close()
        self.assertEqual((pid, gf.BOOT_FAILED_STATUS), struct.unpack('>Ii', self.control_frame(gf.EXITED)))

    def test_an_interface_that_does_not_fit_the_callable_is_a_boot_failure(self):
        self.start('async def application(scope, receive, send):\n    pass\n', preload=True, interface='wsgi')
        self.assertEqual(gf.READY, self.control.read_frame()[0])
        pid = self.spawn('a4')
        report = self.accept()
        self.assertEqual((gf.ROLE_BOOT_REPORT, pid, 0, 'a4'), self.hello(report))
        ftype, payload = report.read_frame()
        self.assertEqual(gf.BOOT_FAILED, ftype)
        self.assertIn('interface is wsgi, but the callable is a coroutine function', payload.decode())
        report.sock.close()
        self.assertEqual((pid, gf.BOOT_FAILED_STATUS), struct.unpack('>Ii', self.control_frame(gf.EXITED)))


if __name__ == '__main__':
    unittest.main()
