"""One WebSocket on an ASGI worker's loop lane, for its whole life (AsgiWebSocket): the websocket scope of its
handshake, the app's accept or refusal, and the messages both ways as WS_ frames, the client's within the window the
lane grants. It borrows the task, the waiting and harakiri of an http request (AsgiHttp). Standard library only.
"""
import struct

from gatehouse_asgi_http import AsgiHttp
from gatehouse_asgi_scope import asgi_head, http_scope
from gatehouse_frames import (ABORT, DATA_PIECE, END_FRAME, HEADER, MAX_PAYLOAD, MORE, U32, WS_ACCEPT, WS_CLOSE,
                              WS_MORE, WS_SEND, WS_TEXT, WS_WINDOW, ClientDisconnected, frame)

# 2.1: websocket.close has a reason; 2.2: websocket.accept has headers; 2.3: websocket.disconnect has a reason
ASGI_WEBSOCKET_SPEC = '2.3'


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
