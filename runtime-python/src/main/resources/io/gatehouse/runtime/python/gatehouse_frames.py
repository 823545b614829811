"""The framed protocol between the Gatehouse master and its Python processes, as docs/worker-protocol.md describes it:
the frame types and payload layouts, REQUEST and START encoded and decoded, one connection to the master read frame
by frame, HELLO, and how a process that cannot load the app tells the master so and with what status it ends. The
fork server and both kinds of worker (gatehouse_wsgi, gatehouse_asgi) speak it; the script loads it first.
"""
import os
import socket
import struct
import sys

# Every frame: payload length (u32) and type (u8), big-endian, then the payload.
HEADER = struct.Struct('>IB')
MAX_PAYLOAD = 1 << 20
# Largest DATA frame a worker sends, and the most request body it asks for at once.
DATA_PIECE = 256 * 1024
BODY_CREDIT = 64 * 1024
# Frames smaller than this are joined into one buffer before sending; larger ones are gathered by sendmsg.
JOIN_MAX = 16 * 1024
BOOT_FAILED_STATUS = 78
# How long a process that could not load the app waits for the master to take its traceback, in seconds.
BOOT_REPORT_WAIT = 10

# master -> worker
REQUEST, BODY, BODY_LAST, BODY_ABORT, CANCEL, FILE_SENT, FILE_REFUSED, STOP, PING, SPAWN = range(0x01, 0x0B)
# worker -> master
HELLO, READY, BOOT_FAILED, START, DATA, FILE, END, ABORT, MORE, PONG, FORKED, EXITED, LOG = range(0x21, 0x2E)
# ASGI only: master -> loop lane, and loop lane -> master
HARAKIRI = 0x0B
DATA_LAST = 0x2E
# WebSockets (loop lanes): master -> lane, and lane -> master
WS_RECEIVE, WS_DISCONNECT = 0x0C, 0x0D
WS_ACCEPT, WS_SEND, WS_CLOSE = 0x2F, 0x30, 0x31
# The direct path (gatehouse_direct): a request it could not complete, for the master's log
REPORT = 0x32
REPORT_CLIENT, REPORT_APP_FAILED, REPORT_HARAKIRI = 0, 1, 2
# WS_RECEIVE and WS_SEND flags: the piece is text; more pieces of the message follow
WS_TEXT, WS_MORE = 1, 2
# Bytes of the client's messages the master may send before the app has received them (the window MORE grants)
WS_WINDOW = 256 * 1024

ROLE_FORK_SERVER, ROLE_LANE, ROLE_BOOT_REPORT, ROLE_LOOP_LANE = 1, 2, 3, 4
BODY_NONE, BODY_INLINE, BODY_ON_REQUEST, BODY_WEBSOCKET = 0, 1, 2, 3
STREAM_STDOUT, STREAM_STDERR = 1, 2
# Frames that may be left over from a finished request (a body the app did not read, a late CANCEL).
STALE = frozenset((BODY, BODY_LAST, BODY_ABORT, CANCEL))

U32 = struct.Struct('>I')
REQUEST_PREFIX = struct.Struct('>BH')
HELLO_PREFIX = struct.Struct('>BIH')
EXITED_BODY = struct.Struct('>Ii')
LOG_PREFIX = struct.Struct('>IB')
FILE_BODY = struct.Struct('>Iqq')


# A fork server and its workers die with their parent two ways: the kernel kills them when it dies
# (PR_SET_PDEATHSIG), and they exit when their connection to the master closes. The test suite turns one off to
# prove the other alone: 'eof' sets no PR_SET_PDEATHSIG, 'pdeathsig' ignores the end of a connection. Test only.
ORPHAN_GUARD = os.environ.get('GATEHOUSE_TEST_ORPHAN_GUARD', '')


def frame(ftype, payload=b''):
    """One whole frame."""
    return HEADER.pack(len(payload), ftype) + payload


END_FRAME = frame(END)
PONG_FRAME = frame(PONG)
READY_FRAME = frame(READY)
MORE_FRAME = frame(MORE, U32.pack(BODY_CREDIT))

_environ_lengths = {}
_start_layouts = {}


def environ_lengths(count):
    """The struct of a REQUEST's 2 * count lengths, cached by count."""
    s = _environ_lengths.get(count)
    if s is None:
        s = _environ_lengths[count] = struct.Struct('>%dI' % (2 * count))
    return s


def start_layout(count):
    """The struct of a START payload's fixed part for count header fields, cached by count."""
    s = _start_layouts.get(count)
    if s is None:
        s = _start_layouts[count] = struct.Struct('>qH%dI' % (2 * count + 1))
    return s


def decode_request(payload):
    """A REQUEST payload as (body mode, environ dict of native strings)."""
    mode, count = REQUEST_PREFIX.unpack_from(payload, 0)
    layout = environ_lengths(count)
    text = payload[REQUEST_PREFIX.size + layout.size:].decode('latin-1')
    if text.count('\0') == 2 * count:
        # No NUL inside any key or value (the usual case): the terminators split the text in C.
        it = iter(text.split('\0'))
        return mode, dict(zip(it, it))
    environ = {}
    pos = 0
    it = iter(layout.unpack_from(payload, REQUEST_PREFIX.size))
    for key_length, value_length in zip(it, it):
        key_end = pos + key_length
        end = key_end + 1 + value_length
        environ[text[pos:key_end]] = text[key_end + 1:end]
        pos = end + 1
    return mode, environ


def encode_start(status, headers, length):
    """A START frame: the status line, the header fields and the body length (-1 when unknown)."""
    parts = [status]
    for name, value in headers:
        parts.append(name)
        parts.append(value)
    data = ''.join(parts).encode('latin-1')
    layout = start_layout(len(headers))
    return HEADER.pack(layout.size + len(data), START) + layout.pack(length, len(headers), *map(len, parts)) + data


def send_parts(sock, parts):
    """Sends byte strings in order: joined when small, gathered by sendmsg (no copy) when large."""
    if sum(map(len, parts)) <= JOIN_MAX:
        sock.sendall(b''.join(parts))
        return
    views = [memoryview(p) for p in parts if p]
    while views:
        sent = sock.sendmsg(views)
        while sent:
            first = views[0]
            if sent >= len(first):
                sent -= len(first)
                del views[0]
            else:
                views[0] = first[sent:]
                sent = 0


def connect(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    return sock


def hello(role, index, token):
    return frame(HELLO, HELLO_PREFIX.pack(role, os.getpid(), index) + token.encode('ascii'))


class ProtocolError(Exception):
    """The master sent something this worker does not understand."""


class ClientDisconnected(OSError):
    """The client went away, or its request body ended early."""


class Connection:
    """One connection to the master: frames read through a buffer, written whole."""

    __slots__ = ('sock', 'buf', 'pos')

    def __init__(self, sock):
        self.sock = sock
        self.buf = b''
        self.pos = 0

    def read_frame(self):
        """The next frame as (type, payload); (None, None) once the master closed the connection."""
        buf = self.buf
        pos = self.pos
        if len(buf) - pos >= 5:
            length, ftype = HEADER.unpack_from(buf, pos)
            end = pos + 5 + length
            if end <= len(buf):
                self.pos = end
                return ftype, buf[pos + 5:end]
        return self._read_more()

    def buffered(self):
        """True if a whole frame is already buffered."""
        if len(self.buf) - self.pos < 5:
            return False
        length, _ = HEADER.unpack_from(self.buf, self.pos)
        return self.pos + 5 + length <= len(self.buf)

    def fill_nowait(self):
        """Buffers what has arrived without waiting; False if the master closed the connection."""
        try:
            data = self.sock.recv(65536, socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            return True
        if not data:
            return False
        self.buf = self.buf[self.pos:] + data
        self.pos = 0
        return True

    def _read_more(self):
        buf = self.buf[self.pos:]
        pieces = [buf]
        have = len(buf)
        need = 5
        known = False
        while True:
            if not known and have >= 5:
                if len(pieces) > 1:
                    pieces = [b''.join(pieces)]
                length, ftype = HEADER.unpack_from(pieces[0], 0)
                if length > MAX_PAYLOAD:
                    raise ProtocolError('frame of %d bytes is over the limit of %d' % (length, MAX_PAYLOAD))
                need = 5 + length
                known = True
            if known and have >= need:
                break
            data = self.sock.recv(max(65536, need - have))
            if not data:
                self.buf = b''
                self.pos = 0
                if have:
                    raise ProtocolError('the master closed the connection in the middle of a frame')
                return None, None
            pieces.append(data)
            have += len(data)
        buf = pieces[0] if len(pieces) == 1 else b''.join(pieces)
        self.buf = buf
        self.pos = need
        return ftype, buf[5:need]


def exit_status(e):
    """The process status for a SystemExit, printing its message as the interpreter would."""
    code = e.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write('%s\n' % (code,))
    return 1


def report_boot_failure(settings, token, trace):
    """Tells the master why this worker could not load the app, on a connection of its own."""
    try:
        sock = connect(settings['socket'])
        sock.sendall(hello(ROLE_BOOT_REPORT, 0, token)
                     + frame(BOOT_FAILED, trace.encode('utf-8', 'replace')[:MAX_PAYLOAD]))
        await_close(sock)
    except OSError:
        sys.stderr.write(trace)


def await_close(sock):
    """After BOOT_FAILED: waits (10 s at most) for the master to close the connection, so the master has the
    traceback before it learns of the exit."""
    sock.settimeout(BOOT_REPORT_WAIT)
    try:
        while sock.recv(4096):
            pass
    except OSError:
        pass
    sock.close()
