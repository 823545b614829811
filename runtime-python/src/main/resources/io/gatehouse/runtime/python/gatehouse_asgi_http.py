"""One request of the http scope on an ASGI worker's loop lane (AsgiHttp): the app's task, its receive() and send(),
and the frames its response goes out in; harakiri cancels the task and logs where it waited. Standard library only.
"""
import asyncio
import sys
import traceback

from gatehouse_asgi_scope import asgi_head, http_scope
from gatehouse_frames import (ABORT, BODY, BODY_ABORT, BODY_LAST, BODY_NONE, BODY_ON_REQUEST, DATA, DATA_LAST,
                              DATA_PIECE, END_FRAME, HEADER, MAX_PAYLOAD, MORE_FRAME, START, ClientDisconnected, frame,
                              start_layout)

# The innermost frames of a task cancelled by harakiri that go to the log.
HARAKIRI_STACK_DEPTH = 6


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
