"""The websocket scope of the worker script's loop lanes against a scripted master (run by PythonWorkerScriptTest)."""
import os
import struct
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'main', 'resources', 'io', 'gatehouse', 'runtime', 'python'))

import gatehouse_worker  # noqa: E402,F401  (loads every gatehouse_ module, by path)
import gatehouse_frames as gf  # noqa: E402
from test_gatehouse_asgi import LoopLanes  # noqa: E402
from test_gatehouse_worker import base_environ, request_frame  # noqa: E402


def handshake(**extra):
    return request_frame(base_environ(HTTP_UPGRADE='websocket', HTTP_CONNECTION='Upgrade', **extra),
                         gf.BODY_WEBSOCKET)


def receive(data, text=True, more=False):
    flags = (gf.WS_TEXT if text else 0) | (gf.WS_MORE if more else 0)
    return gf.frame(gf.WS_RECEIVE, bytes((flags,)) + data)


def disconnect(code, reason=b''):
    return gf.frame(gf.WS_DISCONNECT, struct.pack('>H', code) + reason)


def parse_accept(payload):
    count = struct.unpack_from('>H', payload, 0)[0]
    lengths = struct.unpack_from('>%dI' % (2 * count + 1), payload, 2)
    at = 2 + 4 * len(lengths)
    strings = []
    for n in lengths:
        strings.append(payload[at:at + n])
        at += n
    return strings[0].decode(), list(zip(strings[1::2], strings[2::2]))


async def echo(scope, receive, send):
    """Accepts with the first subprotocol offered, echoes every message, and returns at the disconnect."""
    assert scope['type'] == 'websocket'
    assert (await receive())['type'] == 'websocket.connect'
    subprotocol = scope['subprotocols'][0] if scope['subprotocols'] else None
    await send({'type': 'websocket.accept', 'subprotocol': subprotocol, 'headers': [(b'x-hello', b'1')]})
    while True:
        message = await receive()
        if message['type'] == 'websocket.disconnect':
            ECHO_SEEN.append(message)
            return
        await send({'type': 'websocket.send', 'text': message.get('text'), 'bytes': message.get('bytes')})


ECHO_SEEN = []


class WebSocketLaneTest(unittest.TestCase):

    def setUp(self):
        ECHO_SEEN.clear()

    def lanes(self, app):
        lanes = LoopLanes(app)
        self.addCleanup(lanes.close)
        # a socket still open ends as the master would end it, so the lane can close at once
        self.addCleanup(lambda: lanes.send(0, disconnect(1000)))
        return lanes

    def test_scope_is_websocket_with_ws_scheme_and_subprotocols(self):
        seen = []

        async def app(scope, receive, send):
            seen.append(scope)
            await receive()
            await send({'type': 'websocket.close'})
        lanes = self.lanes(app)
        lanes.send(0, handshake(HTTP_SEC_WEBSOCKET_PROTOCOL='chat, superchat', PATH_INFO='/ws', QUERY_STRING='a=1'))
        self.assertEqual(gf.WS_CLOSE, lanes.frame()[0])
        self.assertEqual(gf.END, lanes.frame()[0])
        scope = seen[0]
        self.assertEqual('websocket', scope['type'])
        self.assertEqual('ws', scope['scheme'])
        self.assertEqual('/ws', scope['path'])
        self.assertEqual(b'a=1', scope['query_string'])
        self.assertEqual(['chat', 'superchat'], scope['subprotocols'])
        self.assertNotIn('method', scope)
        self.assertEqual('2.3', scope['asgi']['spec_version'])

    def test_accept_then_echo_text_and_bytes_with_the_window_granted(self):
        lanes = self.lanes(echo)
        lanes.send(0, handshake(HTTP_SEC_WEBSOCKET_PROTOCOL='chat'))
        ftype, payload = lanes.frame()
        self.assertEqual(gf.WS_ACCEPT, ftype)
        self.assertEqual(('chat', [(b'x-hello', b'1')]), parse_accept(payload))
        ftype, payload = lanes.frame()
        self.assertEqual((gf.MORE, gf.WS_WINDOW), (ftype, struct.unpack('>I', payload)[0]))
        lanes.send(0, receive('héllo'.encode()))
        self.assertEqual((gf.WS_SEND, bytes((gf.WS_TEXT,)) + 'héllo'.encode()), lanes.frame())
        lanes.send(0, receive(b'\x00\xff', text=False))
        self.assertEqual((gf.WS_SEND, b'\x00\x00\xff'), lanes.frame())
        lanes.send(0, disconnect(1001, 'bye'.encode()))
        self.assertEqual(gf.END, lanes.frame()[0])
        self.assertEqual([{'type': 'websocket.disconnect', 'code': 1001, 'reason': 'bye'}], ECHO_SEEN)

    def test_a_message_in_pieces_is_received_whole(self):
        lanes = self.lanes(echo)
        lanes.send(0, handshake())
        lanes.frame()
        lanes.frame()
        lanes.send(0, receive(b'ab', more=True), receive(b'cd', more=True), receive(b'ef'))
        self.assertEqual((gf.WS_SEND, bytes((gf.WS_TEXT,)) + b'abcdef'), lanes.frame())

    def test_a_large_message_is_sent_in_pieces_flagged_more(self):
        big = b'x' * (gf.DATA_PIECE * 2 + 10)

        async def app(scope, receive, send):
            await receive()
            await send({'type': 'websocket.accept'})
            await send({'type': 'websocket.send', 'bytes': big})
            await send({'type': 'websocket.close', 'code': 4000, 'reason': 'done'})
        lanes = self.lanes(app)
        lanes.send(0, handshake())
        self.assertEqual(gf.WS_ACCEPT, lanes.frame()[0])
        self.assertEqual(gf.MORE, lanes.frame()[0])
        got = b''
        flags = []
        while True:
            ftype, payload = lanes.frame()
            if ftype != gf.WS_SEND:
                break
            flags.append(payload[0])
            got += payload[1:]
        self.assertEqual(big, got)
        self.assertEqual([gf.WS_MORE, gf.WS_MORE, 0], flags)
        self.assertEqual((gf.WS_CLOSE, struct.pack('>H', 4000) + b'done'), (ftype, payload))
        self.assertEqual(gf.END, lanes.frame()[0])

    def test_more_window_is_granted_again_as_the_app_receives(self):
        lanes = self.lanes(echo)
        lanes.send(0, handshake())
        lanes.frame()
        lanes.frame()
        piece = b'y' * (gf.WS_WINDOW // 4)
        for _ in range(2):
            lanes.send(0, receive(piece, text=False))
        types = [lanes.frame()[0] for _ in range(3)]
        self.assertEqual([gf.WS_SEND, gf.WS_SEND, gf.MORE], sorted(types, key=lambda t: t != gf.WS_SEND))

    def test_close_before_accept_is_sent_as_ws_close(self):
        async def app(scope, receive, send):
            await receive()
            await send({'type': 'websocket.close', 'code': 1008})
        lanes = self.lanes(app)
        lanes.send(0, handshake())
        self.assertEqual((gf.WS_CLOSE, struct.pack('>H', 1008)), lanes.frame())
        self.assertEqual(gf.END, lanes.frame()[0])

    def test_send_before_accept_fails_the_app(self):
        async def app(scope, receive, send):
            await send({'type': 'websocket.send', 'text': 'too soon'})
        lanes = self.lanes(app)
        lanes.send(0, handshake())
        ftype, payload = lanes.frame()
        self.assertEqual(gf.ABORT, ftype)
        self.assertIn(b'before websocket.accept', payload)

    def test_send_after_the_client_left_raises_and_ends_quietly(self):
        results = []

        async def app(scope, receive, send):
            await receive()
            await send({'type': 'websocket.accept'})
            results.append(await receive())
            try:
                await send({'type': 'websocket.send', 'text': 'late'})
            except OSError as e:
                results.append(type(e).__name__)
        lanes = self.lanes(app)
        lanes.send(0, handshake())
        lanes.frame()
        lanes.frame()
        lanes.send(0, disconnect(1006))
        self.assertEqual(gf.END, lanes.frame()[0])
        self.assertEqual([{'type': 'websocket.disconnect', 'code': 1006, 'reason': ''}, 'ClientDisconnected'],
                         results)

    def test_a_stale_websocket_frame_on_an_idle_lane_is_skipped(self):
        async def app(scope, receive, send):
            await send({'type': 'http.response.start', 'status': 204})
            await send({'type': 'http.response.body'})
        lanes = self.lanes(app)
        lanes.send(0, receive(b'late'), disconnect(1000), request_frame(base_environ()))
        types = []
        while not types or types[-1] != gf.END:
            types.append(lanes.frame()[0])
        self.assertIn(gf.START, types)

    def closed_with(self, code):
        """The frame the worker writes once its app accepts, then sends websocket.close with code."""
        async def app(scope, receive, send):
            await receive()
            await send({'type': 'websocket.accept'})
            await send({'type': 'websocket.close', 'code': code})
        lanes = self.lanes(app)
        lanes.send(0, handshake())
        lanes.frame()
        lanes.frame()
        return lanes.frame()

    def test_a_close_code_no_close_frame_may_carry_fails_the_app(self):
        for code in (99, 1005, 1006, 1015, 2000, 5000):
            with self.subTest(code=code):
                ftype, payload = self.closed_with(code)
                self.assertEqual(gf.ABORT, ftype)
                self.assertIn(b'a close frame may carry', payload)

    def test_registered_and_application_close_codes_are_sent(self):
        for code in (1000, 1003, 1007, 1014, 3000, 4999):
            with self.subTest(code=code):
                ftype, payload = self.closed_with(code)
                self.assertEqual(gf.WS_CLOSE, ftype)
                self.assertEqual(code, int.from_bytes(payload[:2], 'big'))

if __name__ == '__main__':
    unittest.main()
