"""supervised_app.py as a plain ASGI 3 app, for the supervision tests: answers with its pid, awaits ?ms=N
milliseconds, and can grow its memory (?grow-kb=N)."""
import asyncio
import os
from urllib.parse import parse_qs

_kept = []


async def application(scope, receive, send):
    if scope['type'] != 'http':
        return
    args = parse_qs(scope['query_string'].decode())
    ms = int(args.get('ms', ['0'])[0])
    if ms:
        await asyncio.sleep(ms / 1000)
    kb = int(args.get('grow-kb', ['0'])[0])
    if kb:
        # Kept for the life of the process and written to, so the worker's resident memory really grows.
        _kept.append(b'x' * (kb * 1024))
    await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'text/plain')]})
    await send({'type': 'http.response.body', 'body': b'%d\n' % os.getpid()})
