"""Gatehouse's Python worker: runs one PEP 3333 (WSGI) or ASGI application for the Gatehouse master.

The master starts ``python gatehouse_worker.py APP`` with its settings as JSON on standard input. That process
is the app's fork server: it connects to the master's private unix socket, imports the app first when the
settings ask for preloading, and forks a worker each time the master asks for one. A worker imports the app
(unless it was preloaded), opens one connection per thread and serves one request at a time on each, speaking
the framed protocol of docs/worker-protocol.md; an ASGI worker serves `concurrency` connections from one asyncio
event loop instead (AsgiWorker). Standard library only; Python 3.9 or newer.
"""
import sys

if sys.version_info < (3, 9):
    sys.stderr.write("gatehouse: the Python worker needs Python 3.9 or newer; %s is %s\n"
                     % (sys.executable, sys.version.split()[0]))
    sys.exit(78)

import asyncio
import atexit
import functools
import importlib
import importlib.machinery
import importlib.util
import inspect
import json
import os
import re
import selectors
import signal
import socket
import struct
import traceback


# The modules beside this script, each after those it imports. The master's run directory, where they are, is one
# the app's user may enter but not list, so no module of ours can be found by a search of sys.path: each is loaded by
# its path and registered in sys.modules under its name before it runs, and so a module imports those before it by
# name (import gatehouse_frames finds it there). Their gatehouse_ prefix keeps them from shadowing the app's modules.
SIBLINGS = ('gatehouse_frames', 'gatehouse_response', 'gatehouse_direct', 'gatehouse_wsgi_io', 'gatehouse_wsgi')


def load_sibling(name):
    """A module shipped beside this script, loaded by its path and registered in sys.modules under its name."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + '.py')
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


for _name in SIBLINGS:
    load_sibling(_name)

import gatehouse_frames  # noqa: E402
from gatehouse_frames import (ABORT, BODY, BODY_ABORT, BODY_LAST, BODY_NONE, BODY_ON_REQUEST,  # noqa: E402
                              BODY_WEBSOCKET, BOOT_FAILED, BOOT_FAILED_STATUS, CANCEL, DATA, DATA_LAST,
                              DATA_PIECE, END_FRAME, EXITED, EXITED_BODY, FORKED, HARAKIRI, HEADER,
                              JOIN_MAX, LOG, LOG_PREFIX, MAX_PAYLOAD, MORE, MORE_FRAME, PING, PONG_FRAME,
                              READY_FRAME, REQUEST, ROLE_FORK_SERVER, ROLE_LOOP_LANE, SPAWN, START, STOP,
                              STREAM_STDERR, STREAM_STDOUT, U32, WS_ACCEPT, WS_CLOSE, WS_DISCONNECT,
                              WS_MORE, WS_RECEIVE, WS_SEND, WS_TEXT, WS_WINDOW, await_close,
                              ClientDisconnected, connect, Connection, decode_request, exit_status, frame,
                              hello, ProtocolError, report_boot_failure, start_layout)
from gatehouse_wsgi import Worker  # noqa: E402

# ASGI: one asyncio event loop per worker, serving `concurrency` lanes at once (docs/worker-protocol.md, "Event-loop
# lanes"). Each lane still carries one request at a time, so the frames and the flow control stay those of WSGI.

# The version of the HTTP spec this server follows: 2.4, send() after the client left raises an OSError.
ASGI_HTTP_SPEC = '2.4'
ASGI_LIFESPAN_SPEC = '2.0'
# 2.1: websocket.close has a reason; 2.2: websocket.accept has headers; 2.3: websocket.disconnect has a reason
ASGI_WEBSOCKET_SPEC = '2.3'
DEFAULT_CONCURRENCY = 100
# The descriptors a worker may need beyond its lanes (the app's files, sockets and pipes).
SPARE_FDS = 256
HTTP_VERSIONS = {'HTTP/1.1': '1.1', 'HTTP/1.0': '1.0', 'HTTP/2': '2', 'HTTP/2.0': '2'}
# Request header names as the scope wants them (HTTP_CONTENT_MD5 -> b'content-md5'), cached; bounded, as clients
# choose the names.
HEADER_NAMES = {}
HEADER_NAMES_MAX = 512
FIELD_BREAK_BYTES = re.compile(b'[\r\n\0]')
# The innermost frames of a task cancelled by harakiri that go to the log.
HARAKIRI_STACK_DEPTH = 6


def is_coroutine_function(f):
    """inspect's test, and before 3.12 asyncio's too (which knows asgiref's marker; deprecated from 3.14)."""
    return inspect.iscoroutinefunction(f) or (sys.version_info < (3, 12) and asyncio.iscoroutinefunction(f))


def asgi_kind(app):
    """Why app is unambiguously an ASGI 3 callable (a phrase for the log), or None."""
    target = app
    while isinstance(target, functools.partial):
        target = target.func
    if is_coroutine_function(target):
        return 'a coroutine function'
    if not inspect.isclass(target) and is_coroutine_function(getattr(type(target), '__call__', None)):
        return 'an object with an async __call__'
    return None


def positional_arity(app):
    """How many positional arguments app takes, or None when it cannot tell (or takes *args)."""
    try:
        parameters = inspect.signature(app).parameters.values()
    except (TypeError, ValueError):
        return None
    count = 0
    for p in parameters:
        if p.kind == p.VAR_POSITIONAL:
            return None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            count += 1
    return count


def app_interface(app, asked):
    """How to call app: 'wsgi', 'asgi3' or 'asgi2' (ASGI 2's double callable), as the settings ask ('wsgi', 'asgi'),
    or when they do not (None), 'asgi3' for an unambiguous ASGI 3 callable and 'wsgi' otherwise. TypeError when
    app cannot be what was asked."""
    kind = asgi_kind(app)
    if asked != 'asgi':
        if kind is None:
            return 'wsgi'
        if asked is None:
            return 'asgi3'
        raise TypeError('interface is wsgi, but the callable is %s, an ASGI application: set interface: asgi' % kind)
    if kind is not None:
        return 'asgi3'
    if inspect.isclass(app):
        return 'asgi2'
    arity = positional_arity(app)
    if arity == 1:
        return 'asgi2'
    if arity is None or arity >= 3:
        return 'asgi3'
    raise TypeError('interface is asgi, but the callable takes %d positional arguments: an ASGI 3 application takes '
                    '(scope, receive, send), an ASGI 2 one (scope)' % arity)


def asgi2_application(app):
    """An ASGI 3 callable running the ASGI 2 double callable app: app(scope), then (receive, send)."""
    async def application(scope, receive, send):
        instance = app(scope)
        await instance(receive, send)
    return application


def header_name(key):
    """The scope's name of the header in environ key HTTP_*: lower case, dashes for underscores, bytes."""
    name = HEADER_NAMES.get(key)
    if name is None:
        name = key[5:].replace('_', '-').lower().encode('latin-1')
        if len(HEADER_NAMES) < HEADER_NAMES_MAX:
            HEADER_NAMES[key] = name
    return name


def utf8_text(native):
    """A native string (bytes as latin-1) as the text its bytes spell in UTF-8, invalid bytes replaced."""
    return native if native.isascii() else native.encode('latin-1').decode('utf-8', 'replace')


def address(host, port):
    """(host, port) with an integer port, (host, None) without a port, None without a host."""
    if not host:
        return None
    return (host, int(port)) if port and port.isdigit() else (host, None)


def http_scope(environ, state):
    """The http scope of a request from its environ: path and root_path decoded (path includes root_path),
    raw_path from REQUEST_URI, headers from HTTP_* and CONTENT_TYPE/CONTENT_LENGTH, a copy of the lifespan state,
    and the environ itself (native strings: the variables of a front server, gatehouse.listener...) as the
    extension gatehouse.environ."""
    headers = []
    for key, value in environ.items():
        if key.startswith('HTTP_'):
            headers.append((header_name(key), value.encode('latin-1')))
    value = environ.get('CONTENT_TYPE')
    if value:
        headers.append((b'content-type', value.encode('latin-1')))
    value = environ.get('CONTENT_LENGTH')
    if value:
        headers.append((b'content-length', value.encode('latin-1')))
    script = environ.get('SCRIPT_NAME', '')
    uri = environ.get('REQUEST_URI')
    raw_path = None
    if uri:
        uri = uri.partition('?')[0]
        if uri[:1] != '/' and '://' in uri:  # absolute form: the path starts after the authority
            slash = uri.find('/', uri.find('://') + 3)
            uri = uri[slash:] if slash >= 0 else '/'
        raw_path = uri.encode('latin-1')
    scheme = environ.get('wsgi.url_scheme') or ('https' if environ.get('HTTPS') in ('on', '1') else 'http')
    return {
        'type': 'http',
        'asgi': {'version': '3.0', 'spec_version': ASGI_HTTP_SPEC},
        'http_version': HTTP_VERSIONS.get(environ.get('SERVER_PROTOCOL'), '1.1'),
        'method': environ.get('REQUEST_METHOD', 'GET'),
        'scheme': scheme,
        'path': utf8_text(script + environ.get('PATH_INFO', '')),
        'raw_path': raw_path,
        'query_string': environ.get('QUERY_STRING', '').encode('latin-1'),
        'root_path': utf8_text(script),
        'headers': headers,
        'client': address(environ.get('REMOTE_ADDR'), environ.get('REMOTE_PORT')),
        'server': address(environ.get('SERVER_ADDR') or environ.get('SERVER_NAME'), environ.get('SERVER_PORT')),
        'state': state.copy(),
        'extensions': {'gatehouse.environ': environ},
    }


def asgi_head(status, headers):
    """The status and headers (bytes pairs) of an http.response.start message, checked, as the field count, the
    lengths and the bytes of a START payload (see start_frame)."""
    if type(status) is not int or not 100 <= status <= 999:
        raise ValueError('http.response.start needs an integer status from 100 to 999, got %r' % (status,))
    parts = [b'%d' % status]
    for field in headers:
        name, value = field
        if type(name) is not bytes or type(value) is not bytes:
            raise TypeError('response header names and values must be bytes, got %r' % (field,))
        parts.append(name)
        parts.append(value)
    data = b''.join(parts)
    if FIELD_BREAK_BYTES.search(data):
        raise ValueError('a response header contains CR, LF or NUL')
    return len(parts) // 2, tuple(map(len, parts)), data


def start_frame(head, length):
    """The START frame of an asgi_head, with the body length (-1 unknown)."""
    count, lengths, data = head
    layout = start_layout(count)
    return HEADER.pack(layout.size + len(data), START) + layout.pack(length, count, *lengths) + data


def content_length(headers):
    """The value of a content-length field among ASGI headers, or None."""
    for name, value in headers:
        if len(name) == 14 and name.lower() == b'content-length':
            try:
                return int(value)
            except ValueError:
                return None
    return None


def await_chain(coro):
    """Where a suspended coroutine waits: the innermost frames of what it awaits, outermost first."""
    frames = []
    while coro is not None and len(frames) < 256:
        frame = getattr(coro, 'cr_frame', None) or getattr(coro, 'gi_frame', None)
        if frame is None:
            break
        frames.append((frame, frame.f_lineno))
        coro = getattr(coro, 'cr_await', None) or getattr(coro, 'gi_yieldfrom', None)
    return ''.join(traceback.format_list(traceback.StackSummary.extract(frames[-HARAKIRI_STACK_DEPTH:])))


class AsgiHttp:
    """One request of the http scope on a loop lane: the app's task, and its receive() and send().

    The response goes out as START with the first body, DATA for each body with more to come, and DATA_LAST for the
    final one; END follows once the app returns (ABORT if it failed before completing the response). A final body
    waits for the end of the loop's turn, so that a response sent whole goes out in one write with its END.
    """

    __slots__ = ('lane', 'seq', 'mode', 'environ', 'task', 'pieces', 'last_piece', 'asked', 'request_done',
                 'waiters', 'start', 'length', 'started', 'complete', 'head', 'out', 'disconnected', 'harakiri',
                 'ended')

    def __init__(self, lane, seq, mode, environ):
        self.lane = lane
        self.seq = seq
        self.mode = mode
        self.environ = environ
        self.task = None
        self.pieces = []
        self.last_piece = mode == BODY_NONE
        self.asked = False
        self.request_done = False
        self.waiters = []
        self.start = None
        self.length = None
        self.started = False
        self.complete = False
        self.head = environ.get('REQUEST_METHOD') == 'HEAD'
        self.out = None
        self.disconnected = False
        self.harakiri = False
        self.ended = False

    def run(self, app, state):
        self.task = self.lane.worker.loop.create_task(self.serve(app, http_scope(self.environ, state)))

    async def serve(self, app, scope):
        trace = None
        try:
            await app(scope, self.receive, self.send)
        except asyncio.CancelledError:
            pass  # harakiri, or the worker going away: the master has its answer already
        except BaseException as e:
            if not (self.disconnected and isinstance(e, ClientDisconnected)):
                trace = traceback.format_exc()
            if not isinstance(e, Exception):
                self.finish(trace)
                raise
        self.finish(trace)

    def finish(self, trace):
        """The app returned (or failed): the response's last bytes and END, or ABORT, in one write."""
        parts = self.out or []
        self.out = None
        if self.disconnected or (trace is None and self.complete):
            parts.append(END_FRAME)
        elif trace is None:
            problem = 'completing its response' if self.started else 'sending a response'
            parts.append(frame(ABORT, ('the application returned without %s\n' % problem).encode()))
        elif self.complete:
            sys.stderr.write('the application failed after its response was complete:\n' + trace)
            parts.append(END_FRAME)
        else:
            parts.append(frame(ABORT, trace.encode('utf-8', 'replace')[:MAX_PAYLOAD]))
        self.ended = True
        self.lane.write(parts)
        self.lane.call_ended(self)

    def flush(self):
        """The final body, unless the app's return already took it out with END."""
        if self.out:
            parts = self.out
            self.out = None
            self.lane.write(parts)

    def wake(self):
        """Wakes every receive() waiting (an app may await it in two tasks: a body reader, a disconnect watch)."""
        for waiter in self.waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self):
        waiter = self.lane.worker.loop.create_future()
        self.waiters.append(waiter)
        try:
            await waiter
        finally:
            self.waiters.remove(waiter)

    async def receive(self):
        """The request body as http.request messages, asked of the master piece by piece; then http.disconnect
        once the response is complete or the client has left."""
        while True:
            if self.disconnected:
                return {'type': 'http.disconnect'}
            if not self.request_done:
                if self.pieces and (self.last_piece or self.mode == BODY_ON_REQUEST):
                    return self.body_message()
                if self.last_piece:
                    self.request_done = True
                    return {'type': 'http.request', 'body': b'', 'more_body': False}
                if self.mode == BODY_ON_REQUEST and not self.asked:
                    self.asked = True
                    self.lane.write((MORE_FRAME,))
            elif self.complete:
                return {'type': 'http.disconnect'}
            await self.wait()

    def body_message(self):
        """The pieces received so far as one http.request message (all of them once the last has come)."""
        if self.last_piece:
            body = self.pieces[0] if len(self.pieces) == 1 else b''.join(self.pieces)
            self.pieces = []
            self.request_done = True
            return {'type': 'http.request', 'body': body, 'more_body': False}
        return {'type': 'http.request', 'body': self.pieces.pop(0), 'more_body': True}

    def on_body(self, ftype, payload):
        if ftype == BODY_ABORT:
            self.on_disconnect()
            return
        self.asked = False
        if payload or ftype == BODY:
            self.pieces.append(payload)
        if ftype == BODY_LAST:
            self.last_piece = True
        self.wake()

    async def send(self, message):
        mtype = message['type']
        if mtype == 'http.response.body':
            if self.complete:
                return  # ignored, as the spec says of anything after the final body
            if not self.started:
                raise RuntimeError('http.response.body was sent before http.response.start')
            if self.disconnected:
                raise ClientDisconnected('the client went away')
            more = message.get('more_body', False)
            parts = self.body_frames(message.get('body', b''), more)
            lane = self.lane
            if more:
                lane.write(parts)
                if lane.paused:
                    await lane.drain()
                    if self.disconnected:
                        raise ClientDisconnected('the client went away')
            else:
                self.complete = True
                self.out = parts
                lane.worker.loop.call_soon(self.flush)
                self.wake()
        elif mtype == 'http.response.start':
            if self.started:
                raise RuntimeError('http.response.start was sent twice')
            if self.disconnected:
                raise ClientDisconnected('the client went away')
            headers = message.get('headers', ())
            self.start = asgi_head(message['status'], headers)
            self.length = content_length(headers)
            self.started = True
        elif mtype == 'http.response.trailers':
            pass  # not offered (no http.response.trailers extension): dropped
        else:
            raise ValueError('unexpected ASGI message type %r in the http scope' % (mtype,))

    def body_frames(self, body, more):
        """START (before the first body), then the body as DATA frames, the last of a final body as DATA_LAST."""
        if type(body) is not bytes:
            if not isinstance(body, (bytearray, memoryview)):
                raise TypeError('http.response.body needs bytes, got %s' % type(body).__name__)
            body = bytes(body)
        parts = []
        if self.start is not None:
            length = self.length if self.length is not None else -1 if more else len(body)
            parts.append(start_frame(self.start, length))
            self.start = None
        if self.head:
            body = b''
        size = len(body)
        if size <= DATA_PIECE:
            if size or not more:
                parts.append(HEADER.pack(size, DATA if more else DATA_LAST))
                parts.append(body)
            return parts
        view = memoryview(body)
        for at in range(0, size, DATA_PIECE):
            piece = view[at:at + DATA_PIECE]
            parts.append(HEADER.pack(len(piece), DATA_LAST if not more and at + DATA_PIECE >= size else DATA))
            parts.append(piece)
        return parts

    def on_disconnect(self):
        """CANCEL (the client left), BODY_ABORT, or the lane lost: receive() says http.disconnect, send() raises."""
        if not self.disconnected:
            self.disconnected = True
            self.wake()
            self.lane.wake_drain()

    def on_harakiri(self):
        """HARAKIRI: the request ran too long; its task is cancelled, and where it was goes to the log."""
        if self.ended or self.harakiri:
            return
        self.harakiri = True
        where = await_chain(self.task.get_coro())
        sys.stderr.write('gatehouse: harakiri: cancelling %s %s%s\n' % (
            self.environ.get('REQUEST_METHOD'), self.environ.get('REQUEST_URI') or self.environ.get('PATH_INFO'),
            ', waiting at:\n' + where.rstrip('\n') if where else ''))
        self.on_disconnect()
        self.task.cancel()


def websocket_scope(environ, state):
    """The websocket scope of a handshake: the http scope's keys less the method, ws or wss, and the subprotocols
    the client offered (Sec-WebSocket-Protocol)."""
    scope = http_scope(environ, state)
    del scope['method']
    scope['type'] = 'websocket'
    scope['asgi'] = {'version': '3.0', 'spec_version': ASGI_WEBSOCKET_SPEC}
    scope['scheme'] = 'wss' if scope['scheme'] == 'https' else 'ws'
    offered = environ.get('HTTP_SEC_WEBSOCKET_PROTOCOL', '')
    scope['subprotocols'] = [p.strip() for p in offered.split(',') if p.strip()]
    return scope


def ws_close_frame(code, reason):
    """The WS_CLOSE frame of an app's websocket.close: the code, then the reason in UTF-8, cut to what a close frame
    holds."""
    if type(code) is not int or not (1000 <= code <= 1003 or 1007 <= code <= 1014 or 3000 <= code <= 4999):
        # RFC 6455 7.4: 1005, 1006 and 1015 only report a close; 1016-2999 are the protocol's to assign
        raise ValueError('websocket.close needs a code a close frame may carry (1000-1003, 1007-1014, '
                         '3000-4999), got %r' % (code,))
    text = (reason or '').encode('utf-8')[:123].decode('utf-8', 'ignore').encode('utf-8')
    return frame(WS_CLOSE, struct.pack('>H', code) + text)


class AsgiWebSocket:
    """One WebSocket on a loop lane, for its whole life: websocket.connect, the app's accept (or its close: 403),
    then the client's messages (as far as the window the lane grants with MORE) and the app's, until either closes.
    END follows once the app returns; ABORT when it failed (500 before the accept, close code 1011 after)."""

    __slots__ = ('lane', 'seq', 'environ', 'task', 'state', 'inbox', 'parts', 'waiters', 'closed', 'consumed',
                 'connect_sent', 'harakiri', 'ended')

    def __init__(self, lane, seq, environ):
        self.lane = lane
        self.seq = seq
        self.environ = environ
        self.task = None
        self.state = 'connecting'
        self.inbox = []
        self.parts = []
        self.waiters = []
        self.closed = None
        self.consumed = 0
        self.connect_sent = False
        self.harakiri = False
        self.ended = False

    def run(self, app, state):
        self.task = self.lane.worker.loop.create_task(self.serve(app, websocket_scope(self.environ, state)))

    @property
    def disconnected(self):
        """True once either side closed: a ClientDisconnected the app lets out then ends it quietly."""
        return self.closed is not None

    serve = AsgiHttp.serve

    def finish(self, trace):
        self.ended = True
        if trace is None:
            self.lane.write((END_FRAME,))
        else:
            self.lane.write((frame(ABORT, trace.encode('utf-8', 'replace')[:MAX_PAYLOAD]),))
        self.lane.call_ended(self)

    wake = AsgiHttp.wake
    wait = AsgiHttp.wait

    async def receive(self):
        if not self.connect_sent:
            self.connect_sent = True
            return {'type': 'websocket.connect'}
        while True:
            if self.inbox:
                message, size = self.inbox.pop(0)
                self.consumed += size
                if self.consumed >= WS_WINDOW // 2 and self.closed is None:
                    self.lane.write((frame(MORE, U32.pack(self.consumed)),))
                    self.consumed = 0
                return message
            if self.closed is not None:
                code, reason = self.closed
                return {'type': 'websocket.disconnect', 'code': code, 'reason': reason}
            await self.wait()

    async def send(self, message):
        mtype = message['type']
        if mtype == 'websocket.send':
            if self.state == 'connecting':
                raise RuntimeError('websocket.send was sent before websocket.accept')
            if self.closed is not None:
                raise ClientDisconnected('the WebSocket is closed')
            data = message.get('bytes')
            text = data is None
            if text:
                data = message.get('text')
                if type(data) is not str:
                    raise TypeError('websocket.send needs bytes or text, got %r' % (message,))
                data = data.encode('utf-8')
            elif not isinstance(data, (bytes, bytearray, memoryview)):
                raise TypeError('websocket.send bytes must be bytes, got %s' % type(data).__name__)
            self.lane.write(self.send_frames(bytes(data), WS_TEXT if text else 0))
            if self.lane.paused:
                await self.lane.drain()
        elif mtype == 'websocket.accept':
            if self.state != 'connecting':
                raise RuntimeError('websocket.accept was sent twice, or after websocket.close')
            subprotocol = message.get('subprotocol') or ''
            count, lengths, data = asgi_head(101, message.get('headers') or ())
            head = subprotocol.encode('latin-1') + data[3:]
            lengths = (len(subprotocol.encode('latin-1')),) + lengths[1:]
            layout = struct.Struct('>H%dI' % len(lengths))
            self.lane.write((HEADER.pack(layout.size + len(head), WS_ACCEPT) + layout.pack(count, *lengths) + head,
                             frame(MORE, U32.pack(WS_WINDOW))))
            self.state = 'connected'
        elif mtype == 'websocket.close':
            if self.state == 'closed':
                return
            self.lane.write((ws_close_frame(message.get('code', 1000), message.get('reason')),))
            self.state = 'closed'
            if self.closed is None:
                self.closed = (message.get('code', 1000), message.get('reason') or '')
                self.wake()
        else:
            raise ValueError('unexpected ASGI message type %r in the websocket scope' % (mtype,))

    @staticmethod
    def send_frames(data, flags):
        """A message as WS_SEND frames of at most DATA_PIECE bytes, all but the last flagged WS_MORE."""
        size = len(data)
        if size <= DATA_PIECE:
            return HEADER.pack(size + 1, WS_SEND) + bytes((flags,)), data
        parts = []
        view = memoryview(data)
        for at in range(0, size, DATA_PIECE):
            piece = view[at:at + DATA_PIECE]
            more = WS_MORE if at + DATA_PIECE < size else 0
            parts.append(HEADER.pack(len(piece) + 1, WS_SEND) + bytes((flags | more,)))
            parts.append(piece)
        return parts

    def on_receive(self, payload):
        """WS_RECEIVE: a piece of a client's message; the last piece makes it a websocket.receive."""
        flags = payload[0]
        self.parts.append(payload[1:])
        if flags & WS_MORE:
            return
        data = self.parts[0] if len(self.parts) == 1 else b''.join(self.parts)
        self.parts = []
        if flags & WS_TEXT:
            message = {'type': 'websocket.receive', 'text': data.decode('utf-8', 'replace')}
        else:
            message = {'type': 'websocket.receive', 'bytes': data}
        self.inbox.append((message, len(data)))
        self.wake()

    def on_close(self, payload):
        """WS_DISCONNECT: the client closed (its code and reason) or left (1006)."""
        code = struct.unpack_from('>H', payload, 0)[0] if len(payload) >= 2 else 1006
        self.on_gone(code, payload[2:].decode('utf-8', 'replace'))

    def on_gone(self, code, reason):
        if self.closed is None:
            self.closed = (code, reason)
        self.state = 'closed'
        self.wake()
        self.lane.wake_drain()

    def on_body(self, ftype, payload):
        pass  # a handshake has no body

    def on_disconnect(self):
        """CANCEL, or the lane lost: as a client gone without a close frame."""
        self.on_gone(1006, '')

    on_harakiri = AsgiHttp.on_harakiri


class AsgiLane:
    """One connection to the master, served by the worker's event loop (an asyncio protocol): frames are read as
    they come, so CANCEL, HARAKIRI and PING act while a request runs. One request at a time, as on a thread lane."""

    def __init__(self, worker):
        self.worker = worker
        self.transport = None
        self.buf = b''
        self.seq = 0
        self.call = None
        self.stop_after = False
        self.paused = False
        self.drained = None

    def connection_made(self, transport):
        self.transport = transport
        self.worker.lanes.add(self)

    def data_received(self, data):
        buf = self.buf + data if self.buf else data
        pos = 0
        size = len(buf)
        while size - pos >= 5:
            length, ftype = HEADER.unpack_from(buf, pos)
            if length > MAX_PAYLOAD:
                self.worker.fail('frame of %d bytes is over the limit of %d' % (length, MAX_PAYLOAD))
            end = pos + 5 + length
            if end > size:
                break
            self.on_frame(ftype, buf[pos + 5:end])
            pos = end
        self.buf = buf[pos:] if pos < size else b''

    def eof_received(self):
        return False

    def on_frame(self, ftype, payload):
        call = self.call
        if ftype == REQUEST:
            if call is not None:
                self.worker.fail('REQUEST while request %d runs' % self.seq)
            self.seq += 1
            mode, environ = decode_request(payload)
            if mode == BODY_WEBSOCKET:
                self.call = AsgiWebSocket(self, self.seq, environ)
            else:
                self.call = AsgiHttp(self, self.seq, mode, environ)
            self.call.run(self.worker.app, self.worker.state)
        elif ftype == BODY or ftype == BODY_LAST or ftype == BODY_ABORT:
            if call is not None:
                call.on_body(ftype, payload)
        elif ftype == CANCEL:
            if call is not None and self.names(payload):
                call.on_disconnect()
        elif ftype == HARAKIRI:
            if call is not None and self.names(payload):
                call.on_harakiri()
        elif ftype == WS_RECEIVE or ftype == WS_DISCONNECT:
            if call is None:
                pass  # sent before the master read the END of the WebSocket it was for
            elif type(call) is not AsgiWebSocket:
                self.worker.fail('WebSocket frame %d during an http request' % ftype)
            elif ftype == WS_RECEIVE:
                call.on_receive(payload)
            else:
                call.on_close(payload)
        elif ftype == PING:
            self.transport.write(PONG_FRAME)
        elif ftype == STOP:
            if call is None:
                self.close()
            else:
                self.stop_after = True
        else:
            self.worker.fail('unexpected frame type %d on a loop lane' % ftype)

    def names(self, payload):
        """True if a CANCEL or HARAKIRI names the running request (an empty one means it)."""
        return len(payload) < 4 or U32.unpack_from(payload, 0)[0] == self.seq

    def write(self, parts):
        transport = self.transport
        if transport.is_closing():
            return
        if len(parts) == 1:
            transport.write(parts[0])
        elif sum(map(len, parts)) <= JOIN_MAX:
            transport.write(b''.join(parts))
        else:
            for part in parts:
                if part:
                    transport.write(part)

    def call_ended(self, call):
        if self.call is call:
            self.call = None
            if self.stop_after or self.worker.stopping:
                self.close()

    def close(self):
        if not self.transport.is_closing():
            self.transport.close()

    def pause_writing(self):
        self.paused = True

    def resume_writing(self):
        self.paused = False
        self.wake_drain()

    def wake_drain(self):
        drained = self.drained
        self.drained = None
        if drained is not None and not drained.done():
            drained.set_result(None)

    async def drain(self):
        """Waits until the master takes more of the response (or the request is over)."""
        if self.drained is None:
            self.drained = self.worker.loop.create_future()
        await self.drained

    def connection_lost(self, exc):
        self.paused = False
        self.wake_drain()
        if self.call is not None:
            self.call.on_disconnect()
        self.worker.lane_closed(self)


class AsgiLifespan:
    """The lifespan scope: startup before the lanes open, shutdown once they are closed (ASGI lifespan 2.0).

    mode 'auto': an app that fails or returns before answering lifespan.startup does not support the protocol and is
    served without it; 'on': that is a failed start; 'off': the scope is never called.
    """

    def __init__(self, worker, mode):
        self.worker = worker
        self.mode = mode
        loop = worker.loop
        self.inbox = asyncio.Queue()
        self.started = loop.create_future()
        self.stopped = loop.create_future()
        self.failed = False
        self.task = None

    async def startup(self):
        """None once the app has started (or does without lifespan), else the failure to report."""
        if self.mode == 'off':
            return None
        scope = {'type': 'lifespan', 'asgi': {'version': '3.0', 'spec_version': ASGI_LIFESPAN_SPEC},
                 'state': self.worker.state}
        self.inbox.put_nowait({'type': 'lifespan.startup'})
        self.task = self.worker.loop.create_task(self.run(scope))
        return await self.started

    async def run(self, scope):
        try:
            await self.worker.app(scope, self.receive, self.send)
        except BaseException as e:
            self.ended(traceback.format_exc(), e)
            if not isinstance(e, Exception) and not isinstance(e, asyncio.CancelledError):
                raise
        else:
            self.ended(None, None)

    def ended(self, trace, error):
        """The lifespan call returned (trace None) or failed."""
        if not self.started.done():
            if self.mode == 'on':
                self.started.set_result('the application failed in its lifespan startup:\n' + trace if trace
                                        else 'the application returned without answering lifespan.startup\n')
                return
            why = traceback.format_exception_only(type(error), error)[-1].strip() if trace else 'it returned'
            sys.stderr.write('gatehouse: the application does not support the ASGI lifespan protocol (%s); serving '
                             'it without startup and shutdown (lifespan: on makes this a failed start)\n' % why)
            self.started.set_result(None)
        elif trace is not None and not self.failed and not self.stopped.done() \
                and not isinstance(error, asyncio.CancelledError):
            sys.stderr.write('the application failed in its lifespan scope:\n' + trace)
        if not self.stopped.done():
            self.stopped.set_result(None)

    async def receive(self):
        return await self.inbox.get()

    async def send(self, message):
        mtype = message['type']
        if mtype == 'lifespan.startup.complete' or mtype == 'lifespan.startup.failed':
            if self.started.done():
                raise RuntimeError('%s was sent after the startup was over' % mtype)
            if mtype == 'lifespan.startup.complete':
                self.started.set_result(None)
            else:
                self.failed = True
                self.started.set_result('lifespan startup failed: %s\n' % (message.get('message') or ''))
        elif mtype == 'lifespan.shutdown.complete' or mtype == 'lifespan.shutdown.failed':
            if mtype == 'lifespan.shutdown.failed':
                sys.stderr.write('gatehouse: lifespan shutdown failed: %s\n' % (message.get('message') or ''))
            if not self.stopped.done():
                self.stopped.set_result(None)
        else:
            raise ValueError('unexpected ASGI message type %r in the lifespan scope' % (mtype,))

    async def shutdown(self):
        """Sends lifespan.shutdown and waits for its answer (the master kills a worker that takes too long)."""
        if self.task is None or self.task.done() or self.stopped.done():
            return
        self.inbox.put_nowait({'type': 'lifespan.shutdown'})
        await self.stopped
        await asyncio.wait([self.task], timeout=1)


class AsgiWorker:
    """A worker process serving an ASGI app: one asyncio event loop in the main thread runs the lifespan scope, then
    serves `concurrency` lanes (connections to the master) at once, a task per request; SIGTERM or STOP on every lane
    lets the requests in progress finish, then the lifespan shutdown runs and the process exits."""

    def __init__(self, settings, app, legacy):
        self.settings = settings
        self.app = asgi2_application(app) if legacy else app
        self.concurrency = settings.get('concurrency') or DEFAULT_CONCURRENCY
        self.lanes = set()
        self.state = {}
        self.stopping = False
        self.opening = True
        self.loop = None
        self.closed = None

    def run(self, token):
        raise_fd_limit(self.concurrency + SPARE_FDS)
        loop = self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            return loop.run_until_complete(self.main(token))
        finally:
            try:
                for task in asyncio.all_tasks(loop):
                    task.cancel()
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.run_until_complete(loop.shutdown_default_executor())
            finally:
                asyncio.set_event_loop(None)
                loop.close()

    async def main(self, token):
        lifespan = AsgiLifespan(self, self.settings.get('lifespan') or 'auto')
        failure = await lifespan.startup()
        if failure is not None:
            report_boot_failure(self.settings, token, failure)
            return BOOT_FAILED_STATUS
        socks = []
        for index in range(self.concurrency):
            sock = connect(self.settings['socket'])
            sock.sendall(hello(ROLE_LOOP_LANE, index, token))
            socks.append(sock)
        self.loop.add_signal_handler(signal.SIGTERM, self.on_term)
        await self.serve(socks)
        await lifespan.shutdown()
        return 0

    async def serve(self, socks):
        """Serves the connected sockets as lanes until every one is closed."""
        self.closed = self.loop.create_future()
        for sock in socks:
            await self.loop.create_unix_connection(functools.partial(AsgiLane, self), sock=sock)
        self.opening = False
        if self.lanes:
            await self.closed

    def lane_closed(self, lane):
        self.lanes.discard(lane)
        if not self.lanes and not self.opening and not self.closed.done():
            self.closed.set_result(None)

    def on_term(self):
        """SIGTERM: idle lanes close now, busy ones after their request."""
        self.stopping = True
        for lane in list(self.lanes):
            if lane.call is None:
                lane.close()

    def fail(self, problem):
        """The master broke the protocol: the process ends, and the master replaces it."""
        sys.stderr.write('gatehouse: worker protocol broken: %s\n' % problem)
        sys.stderr.flush()
        os._exit(1)


def raise_fd_limit(wanted):
    """Raises the soft limit on open files to wanted (at most the hard limit), for a worker with many lanes."""
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE,
                               (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))
    except (ImportError, ValueError, OSError):
        pass


def load_app(settings):
    """Imports the app's module (or runs its wsgi-file) and returns its callable."""
    wsgi_file = settings.get('wsgi_file')
    if wsgi_file:
        stem = os.path.splitext(os.path.basename(wsgi_file))[0]
        name = 'wsgi_file_' + re.sub(r'\W', '_', stem)
        loader = importlib.machinery.SourceFileLoader(name, wsgi_file)
        spec = importlib.util.spec_from_loader(name, loader)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        loader.exec_module(module)
        where = wsgi_file
    else:
        module = importlib.import_module(settings['module'])
        where = 'module ' + settings['module']
    name = settings['callable']
    try:
        app = getattr(module, name)
    except AttributeError:
        raise LookupError('%s has no callable named %r' % (where, name)) from None
    if not callable(app):
        raise TypeError('%s: %r is a %s, not a WSGI callable' % (where, name, type(app).__name__))
    return app


def boot_traceback():
    """The traceback of the app's failed import, starting at the app's own code: the frames of this script and of
    importlib that lead to it are left out (an error raised by load_app itself keeps only its message)."""
    etype, value, tb = sys.exc_info()
    here = os.path.abspath(__file__)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if os.path.abspath(name) != here and not name.startswith('<frozen importlib') and os.sep + 'importlib' + os.sep not in name:
            break
        tb = tb.tb_next
    return ''.join(traceback.format_exception(etype, value, tb))


def child_main(settings, app, token, listening):
    """A forked worker: loads the app unless preloaded, then serves it as WSGI or ASGI."""
    if app is None:
        try:
            app = load_app(settings)
        except BaseException:
            report_boot_failure(settings, token, boot_traceback())
            return BOOT_FAILED_STATUS
    try:
        interface = app_interface(app, settings.get('interface'))
    except TypeError as e:
        report_boot_failure(settings, token, '%s\n' % e)
        return BOOT_FAILED_STATUS
    if interface != 'wsgi':
        return AsgiWorker(settings, app, interface == 'asgi2').run(token)
    return Worker(settings, app).run(token, listening if interface == 'wsgi' else [])


class ForkServer:
    """The app's first process: forks workers on request, reaps them, and relays their output to the master."""

    def __init__(self, settings):
        self.settings = settings
        self.app = None
        self.conn = None
        self.listening = []
        self.selector = selectors.DefaultSelector()
        self.pipes = {}
        self.wake_r, self.wake_w = os.pipe()

    def run(self):
        sock = connect(self.settings['socket'])
        self.conn = Connection(sock)
        sock.sendall(hello(ROLE_FORK_SERVER, 0, self.settings['token']))
        self.listening = receive_listeners(sock, len(self.settings.get('direct', {}).get('listeners', ())))
        if self.settings['preload']:
            try:
                self.app = load_app(self.settings)
            except BaseException:
                sock.sendall(frame(BOOT_FAILED, boot_traceback().encode('utf-8', 'replace')[:MAX_PAYLOAD]))
                await_close(sock)
                return BOOT_FAILED_STATUS
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        self.selector.register(sock, selectors.EVENT_READ)
        self.selector.register(self.wake_r, selectors.EVENT_READ)
        sock.sendall(READY_FRAME)
        while True:
            for key, _ in self.selector.select():
                if key.fileobj is sock:
                    if not self.on_control():
                        return 0
                elif key.fd == self.wake_r:
                    self.reap()
                else:
                    self.on_output(key.fd)

    def on_control(self):
        while True:
            ftype, payload = self.conn.read_frame()
            if ftype is None and gatehouse_frames.ORPHAN_GUARD == 'pdeathsig':
                self.selector.unregister(self.conn.sock)
                return True
            if ftype is None or ftype == STOP:
                return False
            if ftype == SPAWN:
                self.spawn(U32.unpack_from(payload, 0)[0], payload[U32.size:].decode('ascii'))
            elif ftype == PING:
                self.conn.sock.sendall(PONG_FRAME)
            else:
                raise ProtocolError('unexpected frame type %d on the fork server connection' % ftype)
            if not self.conn.buffered():
                return True

    def spawn(self, worker_id, token):
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                die_with_parent(parent)
                self.become_child(out_r, out_w, err_r, err_w)
                status = child_main(self.settings, self.app, token, self.listening)
            except SystemExit as e:
                status = exit_status(e)
            except BaseException:
                traceback.print_exc()
            finally:
                run_exit_handlers()
                os._exit(status)
        os.close(out_w)
        os.close(err_w)
        for fd, stream in ((out_r, STREAM_STDOUT), (err_r, STREAM_STDERR)):
            os.set_blocking(fd, False)
            self.pipes[fd] = [pid, stream, b'']
            self.selector.register(fd, selectors.EVENT_READ)
        self.conn.sock.sendall(frame(FORKED, U32.pack(pid) + token.encode('ascii')))

    def become_child(self, out_r, out_w, err_r, err_w):
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        self.selector.close()
        for fd in self.pipes:
            os.close(fd)
        self.pipes.clear()
        os.close(self.wake_r)
        os.close(self.wake_w)
        # The fork server's connection must close when the fork server dies, not live on in its children.
        self.conn.sock.close()
        os.close(out_r)
        os.close(err_r)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        os.close(out_w)
        os.close(err_w)
        if hasattr(sys.stdout, 'reconfigure'):
            sys.stdout.reconfigure(line_buffering=True)

    def reap(self):
        """After SIGCHLD: reports each exited worker, once its last output has been relayed."""
        try:
            while os.read(self.wake_r, 512):
                pass
        except BlockingIOError:
            pass
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return True
            if pid == 0:
                return True
            for pipe in [fd for fd, entry in self.pipes.items() if entry[0] == pid]:
                # The worker is gone, so its pipes hold all it wrote; a grandchild's later output is dropped.
                while self.on_output(pipe, closing=True):
                    pass
            self.conn.sock.sendall(frame(EXITED, EXITED_BODY.pack(pid, os.waitstatus_to_exitcode(status))))

    def on_output(self, fd, closing=False):
        """Relays complete lines from a worker's stdout or stderr; True while the pipe may have more."""
        entry = self.pipes.get(fd)
        if entry is None:
            return False
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            data = None
        if not data:
            if data is None and not closing:
                return True
            if entry[2]:
                self.send_output(entry[0], entry[1], entry[2])
            self.selector.unregister(fd)
            os.close(fd)
            del self.pipes[fd]
            return False
        pending = entry[2] + data
        cut = pending.rfind(b'\n') + 1
        if cut == 0 and len(pending) < 8192:
            entry[2] = pending
            return True
        if cut == 0:
            cut = len(pending)
        self.send_output(entry[0], entry[1], pending[:cut])
        entry[2] = pending[cut:]
        return True

    def send_output(self, pid, stream, data):
        self.conn.sock.sendall(frame(LOG, LOG_PREFIX.pack(pid, stream) + data))


def receive_listeners(sock, count):
    """The listening sockets of the direct path, which the master passes (SCM_RIGHTS) right after HELLO, one per
    message, before any frame; the workers inherit them."""
    listening = []
    while len(listening) < count:
        data, fds, _, _ = socket.recv_fds(sock, 1, count - len(listening))
        if not data and not fds:
            raise ProtocolError('the master closed the connection before passing the listening sockets')
        for fd in fds:
            os.set_inheritable(fd, False)
            listening.append(socket.socket(fileno=fd))
    return listening


def parent_death_signal():
    """libc's prctl, bound once in the fork server (its workers inherit it), or None where it cannot be had."""
    if gatehouse_frames.ORPHAN_GUARD == 'eof':
        return None
    try:
        import ctypes
        prctl = ctypes.CDLL(None, use_errno=True).prctl
        prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
        prctl.restype = ctypes.c_int
        return prctl
    except (ImportError, OSError, AttributeError) as e:
        sys.stderr.write('gatehouse: warning: no prctl(PR_SET_PDEATHSIG) here (%s): this app\'s processes will '
                         'exit when their connections to the master close, not as soon as it dies\n' % (e,))
        return None


PR_SET_PDEATHSIG = 1
PRCTL = None


def die_with_parent(parent):
    """Asks the kernel to SIGKILL this process when its parent dies, then exits at once if the parent is already
    gone (it died before the request took effect: this process has a new parent then). The signal comes when the
    parent *thread* that forked this process ends: the master starts fork servers from one thread that lives as long
    as it does, and a fork server forks from its main thread."""
    if PRCTL is None:
        return
    if PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        import ctypes
        sys.stderr.write('gatehouse: warning: prctl(PR_SET_PDEATHSIG) failed: %s\n' % os.strerror(ctypes.get_errno()))
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def run_exit_handlers():
    try:
        atexit._run_exitfuncs()
    except BaseException:
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass


def prepare_path(settings):
    """Puts pythonpath and the app's directory first on sys.path, in place of this script's own directory."""
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or os.curdir) == here:
        del sys.path[0]
    sys.path[0:0] = list(settings['pythonpath']) + [settings['app_dir']]


def main():
    global PRCTL
    settings = json.loads(sys.stdin.buffer.read().decode('utf-8'))
    PRCTL = parent_death_signal()
    die_with_parent(settings.get('master_pid'))
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    # Ctrl-C reaches every process of the terminal's group; the master decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    prepare_path(settings)
    return ForkServer(settings).run()


if __name__ == '__main__':
    sys.exit(main())
