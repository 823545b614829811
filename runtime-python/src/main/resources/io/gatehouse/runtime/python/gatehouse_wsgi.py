"""A WSGI worker: one thread per lane (a connection to the master), each serving one request at a time as the
framed protocol says, and with the direct path (gatehouse_direct) the uwsgi connections its listeners accept as
well; SIGTERM lets the requests in progress finish. Standard library only.
"""
import os
import signal
import socket
import stat
import sys
import threading
import traceback
from time import monotonic

import gatehouse_direct
import gatehouse_frames
from gatehouse_frames import (ABORT, BODY, BODY_ABORT, BODY_LAST, CANCEL, DATA, DATA_PIECE, END_FRAME, FILE, FILE_BODY,
                              FILE_REFUSED, FILE_SENT, HEADER, MAX_PAYLOAD, MORE_FRAME, PING, PONG_FRAME, REPORT,
                              REPORT_APP_FAILED, REPORT_CLIENT, REPORT_HARAKIRI, REQUEST, ROLE_LANE, STALE, STOP, U32,
                              ClientDisconnected, connect, Connection, decode_request, encode_start, exit_status, frame,
                              hello, ProtocolError, send_parts)
from gatehouse_response import body_of, Response
from gatehouse_wsgi_io import FileWrapper, Input

# How often a streaming response looks for CANCEL from the master, in seconds.
CANCEL_POLL = 0.05


class Lane(Response):
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

    def serve(self, index):
        """Serves requests until the master says STOP or closes the connection (or SIGTERM asks to stop); with the
        direct path, the connections its listeners accept as well."""
        worker = self.worker
        if worker.direct is not None:
            worker.direct.serve(self, index)
            return
        read_frame = self.next_frame
        while not worker.stopping:
            if not self.on_frame(*read_frame()):
                return

    def on_frame(self, ftype, payload):
        """Handles a frame read between requests; False once the lane is to stop."""
        if ftype == REQUEST:
            self.busy = True
            try:
                self.handle(payload)
            finally:
                self.busy = False
        elif ftype == PING:
            self.sock.sendall(PONG_FRAME)
        elif ftype is None and gatehouse_frames.ORPHAN_GUARD == 'pdeathsig':
            threading.Event().wait()
        elif ftype is None or ftype == STOP:
            return False
        elif ftype not in STALE:
            raise ProtocolError('unexpected frame type %d between requests' % ftype)
        return True

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
        result = body_of(result)
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
        self.token = None
        self.direct = None
        self.environ_base = {
            'wsgi.version': (1, 0),
            'wsgi.errors': sys.stderr,
            'wsgi.multithread': self.threads > 1,
            'wsgi.multiprocess': settings['workers'] > 1,
            'wsgi.run_once': False,
            'wsgi.file_wrapper': FileWrapper,
            'wsgi.input_terminated': True,
        }

    def run(self, token, listening):
        self.token = token
        if listening:
            self.direct = gatehouse_direct.Server(self, self.settings['direct'], listening, {
                'file_wrapper': FileWrapper, 'report': self.report,
                'kinds': (REPORT_CLIENT, REPORT_APP_FAILED, REPORT_HARAKIRI)})
        for index in range(self.threads):
            sock = connect(self.settings['socket'])
            sock.sendall(hello(ROLE_LANE, index, token))
            self.lanes.append(Lane(self, Connection(sock)))
        signal.signal(signal.SIGTERM, self.on_term)
        if self.threads == 1:
            return self.serve(self.lanes[0], 0)
        threads = [threading.Thread(target=self.serve_or_exit, args=(lane, i), name='gatehouse-lane-%d' % i,
                                    daemon=True) for i, lane in enumerate(self.lanes)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return 0

    def serve(self, lane, index):
        try:
            lane.serve(index)
            return 0
        except SystemExit as e:
            return exit_status(e)
        except BaseException:
            sys.stderr.write('gatehouse: worker lane failed:\n' + traceback.format_exc())
            return 1

    def serve_or_exit(self, lane, index):
        # A broken lane leaves the process half able to serve: end it so the master replaces it whole.
        status = self.serve(lane, index)
        if status != 0:
            sys.stderr.flush()
            os._exit(status)

    def report(self, slot, text, kind):
        """Tells the master of a request the direct path could not complete (REPORT): the app's failure with its
        traceback, a client that stalled or left, a request ended by harakiri; the master logs it as its own."""
        self.lanes[slot].sock.sendall(frame(REPORT, bytes((kind,)) + text.encode('utf-8', 'replace')[:MAX_PAYLOAD - 1]))

    def on_term(self, signum, frame):
        self.stopping = True
        for lane in self.lanes:
            if not lane.busy:
                try:
                    lane.sock.shutdown(socket.SHUT_RD)
                except OSError:
                    pass
