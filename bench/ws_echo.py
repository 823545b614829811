"""WebSocket echo round trips for bench/asgi.sh (Debian's python3-websockets): CLIENTS connections, each sending a
small text message and awaiting its echo, again and again for SECONDS; prints the round trips per second of them all.
Usage: ws_echo.py URL CLIENTS SECONDS"""
import asyncio
import sys
import time

import websockets


async def client(url, deadline, counts):
    async with websockets.connect(url, compression=None) as ws:
        n = 0
        while time.monotonic() < deadline:
            await ws.send('ping %d' % n)
            await ws.recv()
            n += 1
        counts.append(n)


async def main(url, clients, seconds):
    counts = []
    start = time.monotonic()
    await asyncio.gather(*(client(url, start + seconds, counts) for _ in range(clients)))
    print('%.0f' % (sum(counts) / (time.monotonic() - start)))


if __name__ == '__main__':
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
