"""A small WSGI app for the supervision tests: answers with its pid, sleeps on request, and can grow its memory."""
import os
import time
from urllib.parse import parse_qs

TEXT = [('Content-Type', 'text/plain')]
_kept = []


def application(environ, start_response):
    args = parse_qs(environ.get('QUERY_STRING', ''))
    ms = int(args.get('ms', ['0'])[0])
    if ms:
        time.sleep(ms / 1000)
    kb = int(args.get('grow-kb', ['0'])[0])
    if kb:
        # Kept for the life of the process and written to, so the worker's resident memory really grows.
        _kept.append(b'x' * (kb * 1024))
    start_response('200 OK', TEXT)
    return [b'%d\n' % os.getpid()]
