"""What the worker script refuses and guards against (run by PythonWorkerScriptTest): response heads that would split
the response, request vars that would reach the process environment, and processes that outlive the master."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from test_gatehouse_worker import ForkServerHarness, Master, alive, base_environ, request_frame, gw
import gatehouse_frames as gf

# Request vars a client speaking uwsgi straight to a listener can send: none may reach os.environ. PYTHONWARNINGS
# and BROWSER together run a shell command in any Python that starts with them (through antigravity's import).
HOSTILE_VARS = {'PYTHONWARNINGS': 'all:0:antigravity.x:0:0', 'BROWSER': '/bin/sh -c "touch %s" #%%s',
                'LD_PRELOAD': '/tmp/evil.so', 'PATH': '/tmp/evil', 'PYTHONPATH': '/tmp/evil', 'BASH_ENV': '/tmp/evil',
                'IFS': '/', 'HTTP_PROXY': 'http://evil:3128'}


def gone_within(pid, seconds):
    """True if pid is gone (or a zombie) within seconds."""
    deadline = time.monotonic() + seconds
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


class ResponseHeadTest(unittest.TestCase):
    """start_response refuses what would split the response; the app sees a ValueError in its traceback."""

    def respond(self, status, headers):
        def app(environ, start_response):
            start_response(status, headers)
            return [b'Injected body']

        master = Master(app)
        self.addCleanup(master.close)
        master.send(request_frame(base_environ()))
        return master.response()

    def test_refuses_every_head_that_could_split_the_response(self):
        cases = {
            'CRLF in a value': ('200 OK', [('X-A', '1\r\nX-Injected: yes')]),
            'LF in a value': ('200 OK', [('X-A', '1\nX-Injected: yes')]),
            'CR in a value': ('200 OK', [('X-A', '1\rX-Injected: yes')]),
            'NUL in a value': ('200 OK', [('X-A', '1\0Injected')]),
            'obs-fold in a value': ('200 OK', [('X-Injected', 'a\r\n b')]),
            'vertical tab in a value': ('200 OK', [('X-A', 'Injected\x0b')]),
            'DEL in a value': ('200 OK', [('X-A', 'Injected\x7f')]),
            'not a byte in a value': ('200 OK', [('X-A', '1\u2028X-Injected: yes')]),
            'space in a name': ('200 OK', [('X Injected', 'yes')]),
            'colon in a name': ('200 OK', [('X-Injected:', 'yes')]),
            'CRLF in a name': ('200 OK', [('X-A\r\nX-Injected', 'yes')]),
            'empty name': ('200 OK', [('', 'Injected')]),
            'leading space in a name': ('200 OK', [(' X-Injected', 'yes')]),
            'non-ASCII name': ('200 OK', [('X-\u00cenjected', 'yes')]),
            'CRLF in the reason': ('200 OK\r\nX-Injected: yes', []),
            'NUL in the reason': ('200 OK\0Injected', []),
            'status 099': ('099 Injected', []),
            'status 100': ('100 Injected', []),
            'status 600': ('600 Injected', []),
            'status 1000': ('1000 Injected', []),
        }
        for label, (status, headers) in cases.items():
            with self.subTest(label):
                _, _, _, body, end, text = self.respond(status, headers)
                self.assertEqual((gf.ABORT, b''), (end, body))
                self.assertIn('ValueError', text)

    def test_accepts_what_http_allows(self):
        headers = [('Content-Type', 'text/plain'), ('X-Tab', 'a\tb'), ('X-Obs-Text', 'caf\u00e9 \u00ff'),
                   ("!#$%&'*+-.^_`|~09azAZ", 'token'), ('X-Empty', '')]
        status, sent, _, body, end, _ = self.respond('299 All Good\t\u00e9', headers)
        self.assertEqual(('299 All Good\t\u00e9', headers, b'Injected body', gf.END), (status, sent, body, end))


class EnvironTest(unittest.TestCase):
    """Request vars go into the app's environ dict, never into the process environment."""

    def test_request_vars_never_reach_os_environ(self):
        seen = {}

        def app(environ, start_response):
            seen.update((k, environ.get(k)) for k in HOSTILE_VARS)
            seen['os.environ'] = dict(os.environ)
            start_response('200 OK', [])
            return []

        before = dict(os.environ)
        master = Master(app)
        self.addCleanup(master.close)
        master.send(request_frame(base_environ(**HOSTILE_VARS)))
        self.assertEqual(gf.END, master.response()[4])
        self.assertEqual(before, seen.pop('os.environ'), 'os.environ while the app ran')
        self.assertEqual(before, dict(os.environ), 'os.environ after the request')
        self.assertEqual(HOSTILE_VARS, seen, 'the app still sees the vars in its environ')


class AttackTest(ForkServerHarness, unittest.TestCase):
    """The uwsgi var attack against a real worker: the app starts a Python subprocess, which must not run BROWSER."""

    def test_pythonwarnings_and_browser_vars_reach_no_subprocess(self):
        marker = os.path.join(tempfile.mkdtemp(), 'pwned')
        self.addCleanup(lambda: os.path.exists(marker) and os.remove(marker))
        self.start('import os, subprocess, sys\n'
                   'SHOW = "import json, os; print(json.dumps(dict(os.environ)))"\n'
                   'def application(environ, start_response):\n'
                   '    out = subprocess.run([sys.executable, "-c", SHOW], capture_output=True, timeout=10).stdout\n'
                   '    start_response("200 OK", [])\n'
                   '    return [out]\n', preload=True)
        self.assertEqual(gf.READY, self.control.read_frame()[0])
        self.spawn('w1')
        lane = self.accept()
        self.hello(lane)
        hostile = dict(HOSTILE_VARS, BROWSER=HOSTILE_VARS['BROWSER'] % marker)
        lane.sock.sendall(request_frame(base_environ(**hostile)))
        self.assertEqual(gf.START, lane.read_frame()[0])
        ftype, env = lane.read_frame()
        self.assertEqual(gf.DATA, ftype)
        env = json.loads(env)
        for name, value in hostile.items():
            self.assertEqual(os.environ.get(name), env.get(name), 'the subprocess got the request\'s %s' % name)
        time.sleep(0.3)  # a browser the subprocess started would have run by now
        self.assertFalse(os.path.exists(marker), 'BROWSER ran')


class OrphanTest(ForkServerHarness, unittest.TestCase):
    """Each of the two ways a fork server and its workers die with their parent, alone."""

    APP = 'def application(environ, start_response):\n    start_response("200 OK", [])\n    return []\n'

    def worker(self, **kw):
        self.start(self.APP, preload=True, **kw)
        self.assertEqual(gf.READY, self.control.read_frame()[0])
        pid = self.spawn('w1')
        self.addCleanup(lambda: alive(pid) and os.kill(pid, signal.SIGKILL))  # a worker a failed test left
        lane = self.accept()
        self.hello(lane)
        return pid, lane

    def test_the_fork_server_dies_with_its_parent_while_its_connection_is_open(self):
        self.start(self.APP, preload=True, via_parent=True)
        self.assertEqual(gf.READY, self.control.read_frame()[0])
        self.parent.kill()
        self.assertTrue(gone_within(self.pid, 1), 'the fork server outlived its parent by a second')

    def test_a_worker_dies_with_the_fork_server_while_its_lane_is_open(self):
        pid, _ = self.worker(env={'GATEHOUSE_TEST_ORPHAN_GUARD': 'pdeathsig'})
        self.process.kill()
        self.assertTrue(gone_within(pid, 1), 'the worker outlived the fork server by a second')

    def test_a_worker_whose_lane_closes_exits_though_the_fork_server_died_unnoticed(self):
        pid, lane = self.worker(env={'GATEHOUSE_TEST_ORPHAN_GUARD': 'eof'})
        self.process.kill()
        time.sleep(0.3)
        self.assertTrue(alive(pid), 'with the parent-death signal off, only the lane can end the worker')
        lane.sock.close()
        self.assertTrue(gone_within(pid, 1), 'the worker outlived its lane by a second')

    def test_the_fork_server_exits_when_its_control_connection_closes_though_its_parent_lives(self):
        self.start(self.APP, preload=True, via_parent=True, env={'GATEHOUSE_TEST_ORPHAN_GUARD': 'eof'})
        self.assertEqual(gf.READY, self.control.read_frame()[0])
        self.parent.kill()
        time.sleep(0.3)
        self.assertTrue(alive(self.pid), 'with the parent-death signal off, only the connection can end it')
        self.control.sock.close()
        self.assertTrue(gone_within(self.pid, 1), 'the fork server outlived its control connection by a second')

    def test_with_end_of_file_ignored_a_worker_runs_on_until_its_parent_dies(self):
        pid, lane = self.worker(env={'GATEHOUSE_TEST_ORPHAN_GUARD': 'pdeathsig'})
        lane.sock.close()
        time.sleep(0.3)
        self.assertTrue(alive(pid), 'the test switch keeps a worker whose lane closed')
        self.process.kill()
        self.assertTrue(gone_within(pid, 1))

    def test_a_process_whose_parent_died_before_it_asked_exits_at_once(self):
        code = subprocess.run([sys.executable, '-c', 'import gatehouse_worker as gw, os, sys\n'
                               'gw.PRCTL = gw.parent_death_signal()\n'
                               'gw.die_with_parent(os.getppid() + 1)\n'
                               'sys.exit(0)\n'], cwd=os.path.dirname(gw.__file__), timeout=10).returncode
        self.assertEqual(1, code, 'a parent other than the expected one means the expected one is gone')


if __name__ == '__main__':
    unittest.main()
