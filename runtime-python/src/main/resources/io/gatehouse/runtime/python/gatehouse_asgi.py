"""An ASGI worker: one asyncio event loop per worker process, serving `concurrency` lanes (connections to the master)
at once (docs/worker-protocol.md, "Event-loop lanes"), after the lifespan scope's startup and before its shutdown.
Each lane still carries one request at a time, so the frames and the flow control stay those of WSGI; a request is a
task, AsgiHttp (gatehouse_asgi_http) or AsgiWebSocket (gatehouse_websocket). Standard library only.
"""
import asyncio
import functools
import os
import signal
import sys
import traceback

from gatehouse_asgi_http import AsgiHttp
from gatehouse_asgi_scope import asgi2_application
from gatehouse_frames import (BODY, BODY_ABORT, BODY_LAST, BODY_WEBSOCKET, BOOT_FAILED_STATUS, CANCEL, HARAKIRI, HEADER,
                              JOIN_MAX, MAX_PAYLOAD, PING, PONG_FRAME, REQUEST, ROLE_LOOP_LANE, STOP, U32,
                              WS_DISCONNECT, WS_RECEIVE, connect, decode_request, hello, report_boot_failure)
from gatehouse_websocket import AsgiWebSocket

ASGI_LIFESPAN_SPEC = '2.0'
DEFAULT_CONCURRENCY = 100
# The descriptors a worker may need beyond its lanes (the app's files, sockets and pipes).
SPARE_FDS = 256
# The most a lane reads at once: asyncio's own default.
READ_SIZE = 256 * 1024


class AsgiLane(asyncio.BufferedProtocol):
    """One connection to the master, served by the worker's event loop (an asyncio protocol): frames are read as
    they come, so CANCEL, HARAKIRI and PING act while a request runs. One request at a time, as on a thread lane.
    Reads land in the worker's one read buffer (a plain protocol would get a fresh 256 KiB bytes object for every
    read, which glibc maps and unmaps each time); a frame that arrives in parts waits in the lane's own."""

    def __init__(self, worker):
        self.worker = worker
        self.transport = None
        self.pending = bytearray()
        self.seq = 0
        self.call = None
        self.stop_after = False
        self.paused = False
        self.drained = None

    def connection_made(self, transport):
        self.transport = transport
        self.worker.lanes.add(self)

    def get_buffer(self, sizehint):
        return self.worker.read_buffer

    def buffer_updated(self, nbytes):
        if not self.pending:
            pos = self.on_frames(self.worker.read_buffer, nbytes)
            if pos < nbytes:
                self.pending += self.worker.read_buffer[pos:nbytes]
            return
        self.pending += self.worker.read_buffer[:nbytes]
        with memoryview(self.pending) as view:
            pos = self.on_frames(view, len(view))
        del self.pending[:pos]

    def on_frames(self, view, size):
        """Handles the whole frames at the start of view[:size]; returns where the first incomplete one starts."""
        pos = 0
        while size - pos >= 5:
            length, ftype = HEADER.unpack_from(view, pos)
            if length > MAX_PAYLOAD:
                self.worker.fail('frame of %d bytes is over the limit of %d' % (length, MAX_PAYLOAD))
            end = pos + 5 + length
            if end > size:
                break
            self.on_frame(ftype, view[pos + 5:end].tobytes())
            pos = end
        return pos

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
        # every lane reads into this one (a read is handled before the loop does anything else)
        self.read_buffer = memoryview(bytearray(READ_SIZE))

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
