"""One exchange on a connection the direct path (gatehouse_direct) accepted: the request body as wsgi.input, the
app's answer written as the raw HTTP/1.x response the master would write, and the lingering close. Apart from the
accept loop so that each reads in one sitting; standard library only, as the worker.
"""
import os
import socket
import struct
from time import monotonic

from gatehouse_response import Lines, Response, body_of

# As a plain number, as the socket calls take it: an enum member would be converted on every send
DONTWAIT = int(socket.MSG_DONTWAIT)
HOP_BY_HOP = frozenset(('connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade',
                        'proxy-connection'))


def timeval(seconds):
    """A struct timeval for SO_RCVTIMEO and SO_SNDTIMEO."""
    return struct.pack('@ll', int(seconds), int(seconds % 1 * 1e6))


class Timeout(OSError):
    """A client stalled past body-timeout or send-timeout."""


class Gone(OSError):
    """The front server closed the connection."""


class Input(Lines):
    """wsgi.input on the front server's connection: CONTENT_LENGTH bytes, each read waiting at most body-timeout."""

    def __init__(self, exchange, length, timeout):
        self._exchange = exchange
        self._sock = exchange.sock
        self._left = length
        self._timeout = timeout
        self._timed = False
        self._buf = b''

    def unread(self):
        """Body bytes the app left in the connection."""
        return self._left

    def _recv(self, n):
        if self._left <= 0:
            return b''
        if not self._timed:
            self._timed = True
            if self._timeout:
                self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval(self._timeout))
        try:
            data = self._sock.recv(min(n, self._left, 1 << 20))
        except BlockingIOError:
            self._exchange.stalled = True
            self._left = 0
            raise Timeout('the request body stalled for over body-timeout') from None
        if not data:
            self._left = 0
            raise Gone('the request body ended early')
        self._left -= len(data)
        return data

    def read(self, size=-1):
        if size is None or size < 0:
            parts = [self._buf]
            self._buf = b''
            while self._left > 0:
                parts.append(self._recv(65536))
            return b''.join(parts)
        while len(self._buf) < size and self._left > 0:
            self._buf += self._recv(max(size - len(self._buf), 8192))
        data, self._buf = self._buf[:size], self._buf[size:]
        return data

    def readline(self, size=-1):
        while b'\n' not in self._buf and self._left > 0 and (size is None or size < 0 or len(self._buf) < size):
            self._buf += self._recv(8192)
        cut = self._buf.find(b'\n') + 1 or len(self._buf)
        if size is not None and 0 <= size < cut:
            cut = size
        data, self._buf = self._buf[:cut], self._buf[cut:]
        return data


def linger(sock, listener):
    """The app answered without reading the whole body: the answer is complete (the sending side shuts), then the
    rest of the body is read and dropped before the close, so that the front server gets the answer rather than a
    reset; for lingering-time at most, each read waiting lingering-timeout at most (the master's lingering close)."""
    try:
        sock.shutdown(socket.SHUT_WR)
        deadline = monotonic() + listener.lingering_time
        while True:
            left = deadline - monotonic()
            if left <= 0:
                return
            sock.settimeout(min(left, listener.lingering_timeout))
            if not sock.recv(65536):
                return
    except OSError:
        pass


class Exchange(Response):
    """One request on a front server's connection: the app's answer goes out as a raw HTTP/1.x response, its body
    ended by the close of the connection (uwsgi has no keep-alive), with Content-Length when it is known."""

    def __init__(self, server, sock, environ, send_timeout):
        self.server = server
        self.sock = sock
        self.send_timeout = send_timeout
        self.timed = False
        self.version = 'HTTP/1.0' if environ['SERVER_PROTOCOL'] == 'HTTP/1.0' else 'HTTP/1.1'
        self.head_request = environ['REQUEST_METHOD'] == 'HEAD'
        self.status = None
        self.headers = None
        self.headers_sent = False
        self.bodyless = False
        self.remaining = None
        self.ended = False
        self.stalled = False

    def head(self, length):
        """The status line and fields, with Content-Length added when the length is known."""
        code = int(self.status[:3])
        self.bodyless = self.head_request or code in (204, 304)
        lines = ['%s %s\r\n' % (self.version, self.status)]
        declared = False
        for name, value in self.headers:
            low = name.lower()
            if low in HOP_BY_HOP:
                continue
            declared = declared or low == 'content-length'
            lines.append('%s: %s\r\n' % (name, value))
        if length is not None and not declared and code not in (204, 304):
            lines.append('Content-Length: %d\r\n' % length)
        lines.append('\r\n')
        self.headers_sent = True
        return ''.join(lines).encode('latin-1')

    def send(self, data):
        """Sends data whole. What the socket takes at once goes without more ado; only a response that fills it
        gets send-timeout set (the kernel's SO_SNDTIMEO: the socket blocks, and a Python timeout would poll()
        before every call), and the rest waits for the front server."""
        try:
            if not self.timed:
                try:
                    sent = self.sock.send(data, DONTWAIT)
                except BlockingIOError:
                    sent = 0
                if sent == len(data):
                    return
                data = data[sent:]
                self.timed = True
                if self.send_timeout:
                    self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeval(self.send_timeout))
            self.sock.sendall(data)
        except BlockingIOError:
            raise Timeout('the client took none of the response for over send-timeout') from None
        except OSError as e:
            raise Gone('the front server closed the connection: %s' % e) from None

    def write(self, data):
        if type(data) is not bytes:
            raise TypeError('response body data must be bytes, got %s' % type(data).__name__)
        if self.status is None:
            raise AssertionError('write() was called before start_response()')
        if not data or self.ended:
            return  # past the declared Content-Length: dropped, as PEP 3333 asks
        head = b''
        if not self.headers_sent:
            self.remaining = self.declared_length()
            head = self.head(self.remaining)
        remaining = self.remaining
        if remaining is not None:
            if len(data) >= remaining:
                data = data[:remaining]
                self.ended = True
            self.remaining = remaining - len(data)
        self.send(head if self.bodyless else head + data)

    def send_result(self, result):
        result = body_of(result)
        if type(result) is list and not self.headers_sent:
            if self.status is None:
                raise AssertionError('the application returned without calling start_response()')
            for data in result:
                if type(data) is not bytes:
                    raise TypeError('response body data must be bytes, got %s' % type(data).__name__)
            body = b''.join(result)
            declared = self.declared_length()
            if declared is not None and declared < len(body):
                body = body[:declared]
            head = self.head(len(body) if declared is None else declared)
            self.send(head if self.bodyless else head + body)
            return
        if type(result) is self.server.file_wrapper and not self.headers_sent and self.send_file(result):
            return
        for data in result:
            self.write(data)
        if self.status is None:
            raise AssertionError('the application returned without calling start_response()')
        if not self.headers_sent:
            self.send(self.head(0))

    def send_file(self, wrapper):
        """A real file goes out by sendfile(2); False when its bytes must be copied instead."""
        f = wrapper.filelike
        try:
            offset = f.tell()
            size = os.fstat(f.fileno()).st_size
        except (AttributeError, OSError, ValueError):
            return False
        if self.status is None:
            raise AssertionError('the application returned without calling start_response()')
        count = max(0, size - offset)
        declared = self.declared_length()
        if declared is not None and declared < count:
            count = declared
        self.send(self.head(count))
        if not self.bodyless and count:
            # socket.sendfile waits for a blocking socket without end: a Python timeout bounds it
            self.sock.settimeout(self.send_timeout)
            try:
                self.sock.sendfile(f, offset, count)
            except socket.timeout:
                raise Timeout('the client took none of the response for over send-timeout') from None
            except OSError as e:
                raise Gone('the front server closed the connection: %s' % e) from None
        return True

    def refuse(self, status):
        """An answer of the server's own (500, 408, 504) while nothing of the app's has gone out."""
        body = ('%s\n' % status).encode('ascii')
        self.headers_sent = True
        self.sock.sendall(('%s %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n\r\n'
                           % (self.version, status, len(body))).encode('ascii') + body)
