"""Gatehouse's direct path: a WSGI worker that accepts a front server's uwsgi connections itself.

The master hands each worker of a WSGI app the listening socket of every uwsgi listener that leads to that app alone
(docs/performance.md, "Direct accept"). Workers then take connections from the kernel as uWSGI's and gunicorn's do:
no hop through the master. A worker serves here only the requests it can answer exactly as the master would: the
usual head nginx, Apache and lighttpd send, whole in the first bytes, for a path under the app's mount. Anything else
(a malformed or oversized packet, a slow client, uWSGI magic variables, a repeated field, another modifier, a body
over limit-post) is handed back to the master unread with SCM_RIGHTS, and the master answers it with its limits, its
log lines and its status codes. While a request runs, the worker's slot of its scoreboard (a small shared file) says
since when and what, so the master keeps harakiri, max-requests and the heartbeat in charge.

This module is the accept loop, the hand-back and the scoreboard; the uwsgi head is parsed and completed in
gatehouse_direct_head, and one exchange on an accepted connection runs in gatehouse_direct_exchange. What a WSGI
response and wsgi.input's lines are on both paths comes from gatehouse_response, so that the two answer alike.
Standard library only, as the worker.
"""
import mmap
import os
import select
import signal
import socket
import struct
import sys
import time
import traceback
from time import monotonic, monotonic_ns

from gatehouse_direct_exchange import Exchange, Gone, Input, Timeout, linger
from gatehouse_direct_head import UWSGI_HEAD, complete, parse_head

# How long an accepted connection may take to deliver its whole head before it is handed back to the master
HEAD_WAIT = 0.05
# Connections a thread takes one after the other while more wait, before it looks at its lane again
ACCEPT_BURST = 8
AF_UNIX = int(socket.AF_UNIX)
# As a plain number: or-ing the flag enums would build a new enum member on every request
PEEK = int(socket.MSG_PEEK) | int(socket.MSG_DONTWAIT)
# Each slot of the scoreboard: started (u64, CLOCK_MONOTONIC ns, 0 when idle), served (u64), the request line
SLOT = 64
SLOT_TIMES = struct.Struct('<QQ')
START = struct.Struct('<Q')
LINE_AT = SLOT_TIMES.size
LINE_MAX = SLOT - LINE_AT
HARAKIRI_STATUS = 1


class Listener:
    """One inherited listening socket and the limits of its listener."""

    def __init__(self, spec, sock):
        self.sock = sock
        self.sock.setblocking(False)
        self.fd = sock.fileno()
        self.family = int(sock.family)
        self.type = int(sock.type)
        self.name = spec['name']
        self.buffer_size = spec['buffer_size']
        self.max_vars = spec['max_vars']
        self.limit_post = spec['limit_post']
        self.body_timeout = spec['body_timeout'] or None
        self.send_timeout = spec['send_timeout'] or None
        self.lingering_time = spec['lingering_time']
        self.lingering_timeout = spec['lingering_timeout']
        self.handback_path = spec['handback']
        self.mount = spec['mount']
        self.defaults_noted = False


class Board:
    """This worker's scoreboard: one slot per thread, read by the master on its ticks."""

    def __init__(self, path, slots, lines):
        fd = os.open(path, os.O_RDWR)
        try:
            self.map = mmap.mmap(fd, slots * SLOT)
        finally:
            os.close(fd)
        self.served = [0] * slots
        # the request line is read only by harakiri's log line: written when harakiri is on
        self.lines = lines

    def begin(self, slot, method, uri):
        at = slot * SLOT
        if self.lines:
            line = ('%s %s' % (method, uri)).encode('latin-1', 'replace')[:LINE_MAX]
            self.map[at + LINE_AT:at + SLOT] = line.ljust(LINE_MAX, b'\0')
        START.pack_into(self.map, at, monotonic_ns() or 1)

    def end(self, slot):
        self.served[slot] += 1
        SLOT_TIMES.pack_into(self.map, slot * SLOT, 0, self.served[slot])


class Server:
    """A worker's direct path: the listeners it accepts on, its scoreboard, and what it borrows from the worker (the
    app, the environ base, wsgi.file_wrapper, the report of a request it could not complete)."""

    def __init__(self, worker, settings, sockets, toolkit):
        self.worker = worker
        self.listeners = [Listener(spec, sock) for spec, sock in zip(settings['listeners'], sockets)]
        self.by_fd = {listener.fd: listener for listener in self.listeners}
        self.board = Board(os.path.join(settings['board_dir'], worker.token), worker.threads, settings['harakiri'] > 0)
        self.file_wrapper = toolkit['file_wrapper']
        self.report = toolkit['report']
        self.client_gone, self.app_failed, self.overdue = toolkit['kinds']
        self.handbacks = {}
        # The exchanges running now, by slot: harakiri answers those that have sent nothing yet
        self.running = {}
        # harakiri with one thread: a timer per request, whose signal the main thread (the one running the app)
        # takes between two bytecodes or in a blocking call; the master kills a worker that cannot take it
        self.harakiri = settings['harakiri'] if worker.threads == 1 else 0
        self.max_requests = settings.get('max_requests', 0)
        if self.harakiri:
            signal.signal(signal.SIGALRM, self.on_harakiri)

    def close(self):
        """Closes the hand-back connections and the scoreboard (the listening sockets are the worker's)."""
        for channel in self.handbacks.values():
            channel.close()
        self.handbacks.clear()
        self.board.map.close()

    def serve(self, lane, slot):
        """Serves lane frames and the listeners' connections until the lane says to stop; a frame is read first, so
        STOP and a reload's retirement are never kept waiting behind a new connection."""
        poller = select.epoll()
        lane_fd = lane.sock.fileno()
        poller.register(lane_fd, select.EPOLLIN)
        for listener in self.listeners:
            poller.register(listener.fd, select.EPOLLIN | select.EPOLLEXCLUSIVE)
        accepting = True
        try:
            while not self.worker.stopping:
                if accepting and self.served_enough():
                    # max-requests reached: the other workers take the connections until the master recycles this one
                    accepting = False
                    for listener in self.listeners:
                        poller.unregister(listener.fd)
                if lane.pending or lane.conn.buffered():
                    if not lane.on_frame(*lane.next_frame()):
                        return
                    continue
                events = poller.poll()
                if any(fd == lane_fd for fd, _ in events):
                    if not lane.on_frame(*lane.next_frame()):
                        return
                    continue
                for fd, _ in events:
                    self.accept(self.by_fd[fd], slot)
        finally:
            poller.close()

    def served_enough(self):
        """True once the worker served max-requests alone: it takes no more, so the limit holds exactly."""
        return self.max_requests and sum(self.board.served) >= self.max_requests

    def accept(self, listener, slot):
        """Serves the connections waiting on listener, up to ACCEPT_BURST of them without going back to epoll (the
        lane waits that long at most); stops when none is left, as another worker may have taken it."""
        for _ in range(ACCEPT_BURST):
            if self.worker.stopping or self.served_enough():
                return
            try:
                fd, _ = listener.sock._accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                return
            except OSError as e:
                # out of descriptors, most likely: a pause, or the listener stays readable and this spins
                sys.stderr.write('gatehouse: accepting on %s failed: %s; pausing for a second\n' % (listener.name, e))
                time.sleep(1)
                return
            # the listener's family and type as numbers: the socket's own attributes would build enums each time
            sock = socket.socket(listener.family, listener.type, 0, fd)
            try:
                self.serve_connection(listener, sock, slot)
            finally:
                sock.close()

    def serve_connection(self, listener, sock, slot):
        found = self.read_head(listener, sock)
        if found is None:
            self.hand_back(listener, sock)
            return
        size, environ = found
        length = complete(environ, listener)
        if length is None:
            self.hand_back(listener, sock)
            return
        if listener.family != AF_UNIX:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        left = size
        while left:
            data = sock.recv(left)
            if not data:
                return
            left -= len(data)
        self.run(listener, sock, environ, length, slot)

    def read_head(self, listener, sock):
        """The whole head as it has arrived (peeked: left in the socket), waiting HEAD_WAIT for it at most."""
        deadline = None
        want = UWSGI_HEAD.size + listener.buffer_size
        while True:
            try:
                data = sock.recv(want, PEEK)
            except (BlockingIOError, InterruptedError):
                data = None
            except OSError:
                return None
            if data == b'':
                return None
            if data:
                found = parse_head(data, listener)
                if found is not None or len(data) >= want or not self.incomplete(data, listener):
                    return found
            now = monotonic()
            deadline = deadline or now + HEAD_WAIT
            if now >= deadline:
                return None
            select.select([sock], [], [], deadline - now)

    @staticmethod
    def incomplete(data, listener):
        """True while data may be the start of a head that fits buffer-size."""
        if len(data) < UWSGI_HEAD.size:
            return True
        _, size, _ = UWSGI_HEAD.unpack_from(data, 0)
        return size <= listener.buffer_size and len(data) < UWSGI_HEAD.size + size

    def hand_back(self, listener, sock):
        """Passes the connection, unread, to the master, which takes it as if it had accepted it."""
        channel = self.handbacks.get(listener.fd)
        try:
            if channel is None:
                channel = self.handbacks[listener.fd] = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                channel.connect(listener.handback_path)
            socket.send_fds(channel, [b'\0'], [sock.fileno()])
        except OSError as e:
            self.handbacks.pop(listener.fd, None)
            sys.stderr.write('gatehouse: could not hand a connection on %s back to the master: %s\n'
                             % (listener.name, e))

    def run(self, listener, sock, environ, length, slot):
        worker = self.worker
        environ.update(worker.environ_base)
        exchange = Exchange(self, sock, environ, listener.send_timeout)
        environ['wsgi.input'] = body = Input(exchange, length, listener.body_timeout)
        self.board.begin(slot, environ['REQUEST_METHOD'], environ.get('REQUEST_URI') or environ['PATH_INFO'])
        self.running[slot] = (exchange, environ)
        if self.harakiri:
            signal.setitimer(signal.ITIMER_REAL, self.harakiri)
        result = None
        failure = None
        try:
            result = worker.app(environ, exchange.start_response)
            exchange.send_result(result)
        except BaseException as e:
            failure = e
        finally:
            close = getattr(result, 'close', None)
            if close is not None:
                try:
                    close()
                except BaseException as e:
                    failure = failure or e
            if self.harakiri:
                signal.setitimer(signal.ITIMER_REAL, 0)
            del self.running[slot]
            self.board.end(slot)
        if failure is not None:
            self.failed(listener, exchange, environ, failure, slot)
            if not isinstance(failure, Exception):
                raise failure
        if body.unread() and not exchange.stalled:
            linger(sock, listener)

    def failed(self, listener, exchange, environ, failure, slot):
        """Answers and reports a request the app failed: 408 when its client stalled, else 500 unless the response
        had begun; a client that left or stalled is one line, a failure of the app its traceback, as the master
        logs them."""
        stalled = isinstance(failure, Timeout) and exchange.stalled
        if not exchange.headers_sent and not isinstance(failure, Gone):
            try:
                exchange.refuse('408 Request Timeout' if stalled else '500 Internal Server Error')
            except OSError:
                pass
        peer = environ.get('REMOTE_ADDR', '-')
        if environ.get('REMOTE_PORT'):
            peer += ':' + environ['REMOTE_PORT']
        if isinstance(failure, (Timeout, Gone)):
            self.report(slot, '[%s] %s: %s' % (listener.name, peer, failure), self.client_gone)
        else:
            self.report(slot, 'on %s %s from %s failed:\n%s' % (
                environ['REQUEST_METHOD'], environ.get('REQUEST_URI', ''), peer,
                ''.join(traceback.format_exception(type(failure), failure, failure.__traceback__))), self.app_failed)

    def on_harakiri(self, signum, frame):
        """SIGALRM: the request ran past harakiri. If it has sent nothing it gets 504; the master is told, and the
        worker exits, as a running WSGI call cannot be stopped otherwise (the master kills it if it cannot run this)."""
        for slot, (exchange, environ) in list(self.running.items()):
            answer = 'answering 504 and ending it' if not exchange.headers_sent else 'ending it'
            if not exchange.headers_sent:
                try:
                    exchange.sock.setblocking(False)
                    exchange.refuse('504 Gateway Timeout')
                except OSError:
                    pass
            try:
                self.report(slot, 'ran %s %s for over %d ms; %s' % (environ['REQUEST_METHOD'], environ.get(
                    'REQUEST_URI', ''), self.harakiri * 1000, answer), self.overdue)
            except OSError:
                pass
        sys.stderr.flush()
        os._exit(HARAKIRI_STATUS)
