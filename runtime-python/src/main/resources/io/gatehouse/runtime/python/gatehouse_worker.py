"""Gatehouse's WSGI worker: runs one PEP 3333 application for the Gatehouse master.

The master starts ``python gatehouse_worker.py APP`` with its settings as JSON on standard input. That process
is the app's fork server: it connects to the master's private unix socket, imports the app first when the
settings ask for preloading, and forks a worker each time the master asks for one. A worker imports the app
(unless it was preloaded), opens one connection per thread and serves one request at a time on each, speaking
the framed protocol of docs/worker-protocol.md. Standard library only; Python 3.9 or newer.
"""
import sys

if sys.version_info < (3, 9):
    sys.stderr.write("gatehouse: the Python worker needs Python 3.9 or newer; %s is %s\n"
                     % (sys.executable, sys.version.split()[0]))
    sys.exit(78)

import atexit
import importlib
import importlib.machinery
import importlib.util
import json
import os
import re
import selectors
import signal
import socket
import stat
import struct
import threading
import traceback
from time import monotonic

# Every frame: payload length (u32) and type (u8), big-endian, then the payload.
HEADER = struct.Struct('>IB')
MAX_PAYLOAD = 1 << 20
# Largest DATA frame a worker sends, and the most request body it asks for at once.
DATA_PIECE = 256 * 1024
BODY_CREDIT = 64 * 1024
# Frames smaller than this are joined into one buffer before sending; larger ones are gathered by sendmsg.
JOIN_MAX = 16 * 1024
# How often a streaming response looks for CANCEL from the master, in seconds.
CANCEL_POLL = 0.05
BOOT_FAILED_STATUS = 78
# How long a process that could not load the app waits for the master to take its traceback, in seconds.
BOOT_REPORT_WAIT = 10

# master -> worker
REQUEST, BODY, BODY_LAST, BODY_ABORT, CANCEL, FILE_SENT, FILE_REFUSED, STOP, PING, SPAWN = range(0x01, 0x0B)
# worker -> master
HELLO, READY, BOOT_FAILED, START, DATA, FILE, END, ABORT, MORE, PONG, FORKED, EXITED, LOG = range(0x21, 0x2E)

ROLE_FORK_SERVER, ROLE_LANE, ROLE_BOOT_REPORT = 1, 2, 3
BODY_NONE, BODY_INLINE, BODY_ON_REQUEST = 0, 1, 2
STREAM_STDOUT, STREAM_STDERR = 1, 2
# Frames that may be left over from a finished request (a body the app did not read, a late CANCEL).
STALE = frozenset((BODY, BODY_LAST, BODY_ABORT, CANCEL))

U32 = struct.Struct('>I')
REQUEST_PREFIX = struct.Struct('>BH')
HELLO_PREFIX = struct.Struct('>BIH')
EXITED_BODY = struct.Struct('>Ii')
LOG_PREFIX = struct.Struct('>IB')
FILE_BODY = struct.Struct('>Iqq')
# A final status (200..599) and its reason phrase; response header names are tokens (RFC 9110 5.1 and 15). Field
# values and the reason phrase hold no control character but HTAB and nothing above a byte (RFC 9110 5.5): a CR,
# LF or NUL would split the response. The master checks all of it again; here the app learns of it in its traceback.
STATUS = re.compile(r'[2-5][0-9][0-9] ')
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
FIELD_BAD = re.compile('[\x00-\x08\x0a-\x1f\x7f\u0100-\U0010ffff]')


# A fork server and its workers die with their parent two ways: the kernel kills them when it dies
# (PR_SET_PDEATHSIG), and they exit when their connection to the master closes. The test suite turns one off to
# prove the other alone: 'eof' sets no PR_SET_PDEATHSIG, 'pdeathsig' ignores the end of a connection. Test only.
ORPHAN_GUARD = os.environ.get('GATEHOUSE_TEST_ORPHAN_GUARD', '')
PR_SET_PDEATHSIG = 1


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


class FileWrapper:
    """wsgi.file_wrapper: iterates a file in blocks; the worker hands real files to the master to send instead."""

    def __init__(self, filelike, blksize=8192):
        self.filelike = filelike
        self.blksize = blksize
        if hasattr(filelike, 'close'):
            self.close = filelike.close

    def __iter__(self):
        return self

    def __next__(self):
        data = self.filelike.read(self.blksize)
        if data:
            return data
        raise StopIteration


class Input:
    """wsgi.input: the request body, fetched from the master piece by piece as the app reads it."""

    def __init__(self, lane, mode):
        self._lane = lane
        self._ask = mode == BODY_ON_REQUEST
        self._done = mode == BODY_NONE
        self._failure = None
        self._chunk = b''
        self._pos = 0

    def _fill(self):
        """Replaces the used-up buffer with the next piece of body; False at the end of the body."""
        if self._failure is not None:
            raise ClientDisconnected(str(self._failure))
        while not self._done:
            try:
                data, self._done = self._lane.body_piece(self._ask)
            except ClientDisconnected as e:
                self._done = True
                self._failure = e
                raise
            if data:
                self._chunk = data
                self._pos = 0
                return True
        self._chunk = b''
        self._pos = 0
        return False

    def read(self, size=-1):
        if size is None or size < 0:
            return self._read_all()
        chunk = self._chunk
        pos = self._pos
        end = pos + size
        if end <= len(chunk):
            self._pos = end
            return chunk[pos:end]
        parts = [chunk[pos:]]
        self._pos = len(chunk)
        need = end - len(chunk)
        while need > 0 and self._fill():
            chunk = self._chunk
            if len(chunk) <= need:
                parts.append(chunk)
                need -= len(chunk)
                self._pos = len(chunk)
            else:
                parts.append(chunk[:need])
                self._pos = need
                need = 0
        return b''.join(parts)

    def _read_all(self):
        parts = [self._chunk[self._pos:]]
        self._pos = len(self._chunk)
        while self._fill():
            parts.append(self._chunk)
            self._pos = len(self._chunk)
        return b''.join(parts)

    def readline(self, size=-1):
        limit = -1 if size is None else size
        parts = []
        taken = 0
        while limit < 0 or taken < limit:
            chunk = self._chunk
            pos = self._pos
            if pos >= len(chunk):
                if not self._fill():
                    break
                continue
            newline = chunk.find(b'\n', pos)
            stop = len(chunk) if newline < 0 else newline + 1
            if 0 <= limit < taken + stop - pos:
                stop = pos + limit - taken
            parts.append(chunk[pos:stop])
            taken += stop - pos
            self._pos = stop
            if newline >= 0 and stop == newline + 1:
                break
        return b''.join(parts)

    def readlines(self, hint=-1):
        lines = []
        total = 0
        while True:
            line = self.readline()
            if not line:
                return lines
            lines.append(line)
            total += len(line)
            if hint is not None and 0 < hint <= total:
                return lines

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if line:
            return line
        raise StopIteration


class Lane:
    """One connection to the master and the thread that serves it, one request at a time.

    The master may send requests ahead while one runs. Frames read during a request that belong to later ones wait
    in ``pending``, in order, and are served from there first.
    """

    def __init__(self, worker, conn):
        self.worker = worker
        self.conn = conn
        self.sock = conn.sock
        self.pending = []
        self.seq = 0
        self.busy = False
        self.status = None
        self.headers = None
        self.headers_sent = False
        self.head_request = False
        self.cancelled = False
        self.ended = False
        self.remaining = None
        self.next_poll = 0.0

    def serve(self):
        """Serves requests until the master says STOP or closes the connection (or SIGTERM asks to stop)."""
        read_frame = self.next_frame
        worker = self.worker
        while not worker.stopping:
            ftype, payload = read_frame()
            if ftype == REQUEST:
                self.busy = True
                try:
                    self.handle(payload)
                finally:
                    self.busy = False
            elif ftype == PING:
                self.sock.sendall(PONG_FRAME)
            elif ftype is None and ORPHAN_GUARD == 'pdeathsig':
                threading.Event().wait()
            elif ftype is None or ftype == STOP:
                return
            elif ftype not in STALE:
                raise ProtocolError('unexpected frame type %d between requests' % ftype)

    def next_frame(self):
        """The next frame: one set aside during the last request, else from the connection."""
        if self.pending:
            return self.pending.pop(0)
        return self.conn.read_frame()

    def cancels(self, payload):
        """True if a CANCEL names the running request (its ordinal on this lane; an empty CANCEL means it)."""
        return len(payload) < 4 or U32.unpack_from(payload, 0)[0] == self.seq

    def set_aside(self, ftype, payload):
        """A frame read while a request runs: CANCEL and PING are handled, the rest kept for later."""
        if ftype == CANCEL:
            if self.cancels(payload):
                self.cancelled = True
        elif ftype == PING:
            self.sock.sendall(PONG_FRAME)
        else:
            self.pending.append((ftype, payload))

    def handle(self, payload):
        self.seq += 1
        mode, environ = decode_request(payload)
        environ.update(self.worker.environ_base)
        if 'wsgi.url_scheme' not in environ:
            environ['wsgi.url_scheme'] = 'https' if environ.get('HTTPS') in ('on', '1') else 'http'
        environ['wsgi.input'] = Input(self, mode)
        self.head_request = environ.get('REQUEST_METHOD') == 'HEAD'
        self.status = self.headers = self.remaining = None
        self.headers_sent = self.cancelled = self.ended = False
        result = None
        failure = None
        trace = None
        try:
            result = self.worker.app(environ, self.start_response)
            self.send_result(result)
        except BaseException as e:
            failure = e
            trace = traceback.format_exc()
        finally:
            close = getattr(result, 'close', None)
            if close is not None:
                try:
                    close()
                except BaseException as e:
                    if self.ended:
                        sys.stderr.write('error in close() of a response iterable:\n' + traceback.format_exc())
                    elif failure is None:
                        failure = e
                        trace = traceback.format_exc()
        if not self.ended:
            self.ended = True
            if failure is None or self.cancelled:
                self.sock.sendall(END_FRAME)
            else:
                self.sock.sendall(frame(ABORT, trace.encode('utf-8', 'replace')[:MAX_PAYLOAD]))
        elif failure is not None and not self.cancelled:
            sys.stderr.write('the application failed after its response was complete:\n' + trace)
        if failure is not None and not isinstance(failure, Exception):
            raise failure

    def start_response(self, status, headers, exc_info=None):
        if exc_info:
            try:
                if self.headers_sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.status is not None:
            raise AssertionError('start_response() was called a second time without exc_info')
        if type(status) is not str or not STATUS.match(status) or FIELD_BAD.search(status):
            raise ValueError('status must be a str such as "200 OK": a final status (200..599) and a reason phrase '
                             'without control characters, got %r' % (status,))
        if type(headers) is not list:
            raise TypeError('response headers must be a list of (name, value) tuples, got %s'
                            % type(headers).__name__)
        for field in headers:
            if type(field) is not tuple or len(field) != 2:
                raise TypeError('a response header must be a (name, value) tuple, got %r' % (field,))
            name, value = field
            if type(name) is not str or type(value) is not str:
                raise TypeError('response header names and values must be str, got %r' % (field,))
            if not TOKEN.match(name):
                raise ValueError('response header name %r is not a token (letters, digits and !#$%%&\'*+-.^_`|~)'
                                 % (name,))
            if FIELD_BAD.search(value):
                raise ValueError('response header %r has a control character (CR, LF, NUL...) or a character above '
                                 '\\xff in its value: %r' % (name, value))
        self.status = status
        self.headers = headers
        return self.write

    def write(self, data):
        """The write() callable of start_response, also used for each chunk of an iterable."""
        if type(data) is not bytes:
            raise TypeError('response body data must be bytes, got %s' % type(data).__name__)
        if self.status is None:
            raise AssertionError('write() was called before start_response()')
        if not data:
            return
        if self.headers_sent:
            if self.ended:
                return  # past the declared Content-Length: dropped, as PEP 3333 asks
            head = b''
            if monotonic() >= self.next_poll:
                self.poll_cancel()
        else:
            self.remaining = self.declared_length()
            head = encode_start(self.status, self.headers, -1 if self.remaining is None else self.remaining)
            self.headers_sent = True
            self.next_poll = monotonic() + CANCEL_POLL
        if self.cancelled:
            raise ClientDisconnected('the client went away')
        size = len(data)
        remaining = self.remaining
        # A block that completes the declared length completes the response: END goes out with it.
        last = remaining is not None and size >= remaining
        if last:
            size = remaining
            self.ended = True
        elif remaining is not None:
            self.remaining = remaining - size
        tail = END_FRAME if last else b''
        if self.head_request or size == 0:
            if head or tail:
                self.sock.sendall(head + tail)
            return
        if size <= DATA_PIECE:
            send_parts(self.sock, (head, HEADER.pack(size, DATA), data if size == len(data) else data[:size], tail))
            return
        if head:
            self.sock.sendall(head)
        view = memoryview(data)[:size]
        for at in range(0, size, DATA_PIECE):
            piece = view[at:at + DATA_PIECE]
            send_parts(self.sock, (HEADER.pack(len(piece), DATA), piece))
        if tail:
            self.sock.sendall(tail)

    def send_result(self, result):
        if type(result) is bytes or type(result) is bytearray:
            result = [bare_bytes_body(result)]
        elif isinstance(result, str):
            raise TypeError('the application returned a str as its body; PEP 3333 wants an iterable of bytes, '
                            'e.g. [body.encode()]')
        if type(result) is list and not self.headers_sent:
            self.send_list(result)
            return
        if type(result) is FileWrapper and not self.headers_sent and self.send_file(result):
            return
        write = self.write
        for data in result:
            write(data)
        if self.status is None:
            raise AssertionError('the application returned without calling start_response()')
        if self.ended:
            return
        if self.headers_sent:
            self.sock.sendall(END_FRAME)
        else:
            self.headers_sent = True
            self.sock.sendall(encode_start(self.status, self.headers, 0) + END_FRAME)
        self.ended = True

    def send_list(self, result):
        """A list body: the length is known, so head, body and end go out together when small."""
        if self.status is None:
            raise AssertionError('the application returned without calling start_response()')
        total = 0
        for data in result:
            if type(data) is not bytes:
                raise TypeError('response body data must be bytes, got %s' % type(data).__name__)
            total += len(data)
        start = encode_start(self.status, self.headers, total)
        self.headers_sent = True
        if self.head_request or total == 0:
            self.sock.sendall(start + END_FRAME)
        elif total <= DATA_PIECE:
            send_parts(self.sock, [start, HEADER.pack(total, DATA)] + result + [END_FRAME])
        else:
            self.sock.sendall(start)
            self.next_poll = monotonic() + CANCEL_POLL
            for data in result:
                self.write(data)
            self.sock.sendall(END_FRAME)
        self.ended = True

    def send_file(self, wrapper):
        """Offers a real file to the master to send itself; False when its bytes must be copied instead."""
        f = wrapper.filelike
        try:
            fd = f.fileno()
            offset = f.tell()
            info = os.fstat(fd)
        except (AttributeError, OSError, ValueError):
            return False
        if not stat.S_ISREG(info.st_mode) or offset < 0:
            return False
        if self.status is None:
            raise AssertionError('the application returned without calling start_response()')
        count = max(0, info.st_size - offset)
        declared = self.declared_length()
        if declared is not None and declared < count:
            count = declared
        start = encode_start(self.status, self.headers, count)
        self.headers_sent = True
        if self.head_request or count == 0:
            self.sock.sendall(start + END_FRAME)
            self.ended = True
            return True
        self.sock.sendall(start + frame(FILE, FILE_BODY.pack(fd, offset, count)))
        sent = None
        while sent is None:
            ftype, payload = self.conn.read_frame()
            if ftype == FILE_SENT or ftype == FILE_REFUSED:
                sent = ftype == FILE_SENT
            elif ftype is None:
                raise ConnectionError('the master closed the connection')
            else:
                self.set_aside(ftype, payload)
        if not sent:
            return False
        self.sock.sendall(END_FRAME)
        self.ended = True
        return True

    def declared_length(self):
        for name, value in self.headers:
            if name.lower() == 'content-length':
                try:
                    return int(value)
                except ValueError:
                    return None
        return None

    def body_piece(self, ask):
        """The next piece of request body and whether it is the last; asks the master first unless inline."""
        if ask:
            self.sock.sendall(MORE_FRAME)
        while True:
            ftype, payload = self.next_frame()
            if ftype == BODY:
                return payload, False
            if ftype == BODY_LAST:
                return payload, True
            if ftype == BODY_ABORT:
                raise ClientDisconnected(payload.decode('utf-8', 'replace') or 'the request body ended early')
            if ftype == CANCEL:
                if self.cancels(payload):
                    self.cancelled = True
                    raise ClientDisconnected('the client went away')
            elif ftype == PING:
                self.sock.sendall(PONG_FRAME)
            elif ftype is None:
                raise ConnectionError('the master closed the connection')
            else:
                raise ProtocolError('unexpected frame type %d while reading the request body' % ftype)

    def poll_cancel(self):
        """Between chunks of a streamed response: notices CANCEL (the client left) without waiting."""
        self.next_poll = monotonic() + CANCEL_POLL
        conn = self.conn
        if not conn.fill_nowait():
            self.cancelled = True
            return
        while conn.buffered():
            ftype, payload = conn.read_frame()
            self.set_aside(ftype, payload)


class Worker:
    """A worker process: the app, one lane per thread, and a graceful stop on SIGTERM."""

    def __init__(self, settings, app):
        self.settings = settings
        self.app = app
        self.threads = settings['threads']
        self.stopping = False
        self.lanes = []
        self.environ_base = {
            'wsgi.version': (1, 0),
            'wsgi.errors': sys.stderr,
            'wsgi.multithread': self.threads > 1,
            'wsgi.multiprocess': settings['workers'] > 1,
            'wsgi.run_once': False,
            'wsgi.file_wrapper': FileWrapper,
            'wsgi.input_terminated': True,
        }

    def run(self, token):
        for index in range(self.threads):
            sock = connect(self.settings['socket'])
            sock.sendall(hello(ROLE_LANE, index, token))
            self.lanes.append(Lane(self, Connection(sock)))
        signal.signal(signal.SIGTERM, self.on_term)
        if self.threads == 1:
            return self.serve(self.lanes[0])
        threads = [threading.Thread(target=self.serve_or_exit, args=(lane,), name='gatehouse-lane-%d' % i,
                                    daemon=True) for i, lane in enumerate(self.lanes)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return 0

    def serve(self, lane):
        try:
            lane.serve()
            return 0
        except SystemExit as e:
            return exit_status(e)
        except BaseException:
            sys.stderr.write('gatehouse: worker lane failed:\n' + traceback.format_exc())
            return 1

    def serve_or_exit(self, lane):
        # A broken lane leaves the process half able to serve: end it so the master replaces it whole.
        status = self.serve(lane)
        if status != 0:
            sys.stderr.flush()
            os._exit(status)

    def on_term(self, signum, frame):
        self.stopping = True
        for lane in self.lanes:
            if not lane.busy:
                try:
                    lane.sock.shutdown(socket.SHUT_RD)
                except OSError:
                    pass


BARE_BYTES_WARNED = []


def bare_bytes_body(body):
    """A bare bytes body, which uWSGI serves as one chunk: served the same, with one warning per worker process."""
    if not BARE_BYTES_WARNED:
        BARE_BYTES_WARNED.append(True)
        sys.stderr.write('gatehouse: warning: the application returned a bare bytes object as its body; it is '
                         'served as one chunk, as uWSGI does, but PEP 3333 wants an iterable of bytes: return '
                         '[body] (said once per worker process)\n')
    return bytes(body)


def exit_status(e):
    """The process status for a SystemExit, printing its message as the interpreter would."""
    code = e.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write('%s\n' % (code,))
    return 1


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


def child_main(settings, app, token):
    """A forked worker: loads the app unless preloaded, then serves."""
    if app is None:
        try:
            app = load_app(settings)
        except BaseException:
            report_boot_failure(settings, token, boot_traceback())
            return BOOT_FAILED_STATUS
    return Worker(settings, app).run(token)


class ForkServer:
    """The app's first process: forks workers on request, reaps them, and relays their output to the master."""

    def __init__(self, settings):
        self.settings = settings
        self.app = None
        self.conn = None
        self.selector = selectors.DefaultSelector()
        self.pipes = {}
        self.wake_r, self.wake_w = os.pipe()

    def run(self):
        sock = connect(self.settings['socket'])
        self.conn = Connection(sock)
        sock.sendall(hello(ROLE_FORK_SERVER, 0, self.settings['token']))
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
            if ftype is None and ORPHAN_GUARD == 'pdeathsig':
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
                status = child_main(self.settings, self.app, token)
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


def parent_death_signal():
    """libc's prctl, bound once in the fork server (its workers inherit it), or None where it cannot be had."""
    if ORPHAN_GUARD == 'eof':
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
