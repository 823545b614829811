"""Gatehouse's Python worker: runs one PEP 3333 (WSGI) or ASGI application for the Gatehouse master.

The master starts ``python gatehouse_worker.py APP`` with its settings as JSON on standard input. That process
is the app's fork server: it connects to the master's private unix socket, imports the app first when the
settings ask for preloading, and forks a worker each time the master asks for one. A worker imports the app
(unless it was preloaded), opens one connection per thread and serves one request at a time on each, speaking
the framed protocol of docs/worker-protocol.md; an ASGI worker serves `concurrency` connections from one asyncio
event loop instead (AsgiWorker). Standard library only; Python 3.9 or newer.

This script is the fork server and what a worker starts from; the rest is in the gatehouse_* modules beside it
(SIBLINGS): the protocol (gatehouse_frames), the WSGI lanes (gatehouse_wsgi) with the direct path
(gatehouse_direct, with gatehouse_direct_head and gatehouse_direct_exchange), and the ASGI runtime (gatehouse_asgi).
The master's run directory, where they are, cannot be listed by the app's user, so no search of sys.path would find
them: the script loads each by its path, in dependency order, registering it in sys.modules first, so that a module
imports those before it by name.
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
import traceback


# The modules beside this script, each after those it imports (import gatehouse_frames finds it in sys.modules). The
# gatehouse_ prefix keeps them from shadowing the app's modules, which share sys.modules with them.
SIBLINGS = ('gatehouse_frames', 'gatehouse_response', 'gatehouse_direct_head', 'gatehouse_direct_exchange',
            'gatehouse_direct', 'gatehouse_wsgi_io', 'gatehouse_wsgi', 'gatehouse_asgi_scope', 'gatehouse_asgi_http',
            'gatehouse_websocket', 'gatehouse_asgi')


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

from gatehouse_asgi import AsgiWorker  # noqa: E402
from gatehouse_asgi_scope import app_interface  # noqa: E402
import gatehouse_frames  # noqa: E402
from gatehouse_frames import (BOOT_FAILED, BOOT_FAILED_STATUS, EXITED, EXITED_BODY, FORKED, LOG,  # noqa: E402
                              LOG_PREFIX, MAX_PAYLOAD, PING, PONG_FRAME, READY_FRAME, ROLE_FORK_SERVER,
                              SPAWN, STOP, STREAM_STDERR, STREAM_STDOUT, U32, await_close, connect,
                              Connection, exit_status, frame, hello, ProtocolError, report_boot_failure)
from gatehouse_wsgi import Worker  # noqa: E402


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
