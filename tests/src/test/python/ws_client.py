"""The WebSocket client of the end-to-end tests (Debian's python3-websockets): one command per run, one line of
result per check, so the Java side compares text. Exits 0 unless the client itself failed.

  echo URL                   text, binary, a fragmented and a 300 KB message echoed; prints each check
  json URL                   a JSON message to FastAPI's /api/echo route; prints the answer
  broadcast URL N            N clients join a room, one speaks, all hear it; prints what each heard
  refused URL                a handshake the server refuses; prints the HTTP status
  hold URL N SECONDS         N sockets held until the server closes them: prints 'ready N PIDS' (the workers holding
                             them), then each close code
"""
import asyncio
import sys

import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatusCode


async def echo(url):
    async with websockets.connect(url, subprotocols=['chat'], max_size=2 ** 22) as ws:
        print('subprotocol', ws.subprotocol)
        await ws.send('héllo wörld')
        print('text', await ws.recv() == 'héllo wörld')
        await ws.send(bytes(range(256)))
        print('binary', await ws.recv() == bytes(range(256)))
        await ws.send(['frag', 'men', 'ted'])
        print('fragmented', await ws.recv() == 'fragmented')
        big = b'\x01\x02' * 150000
        await ws.send(big)
        print('large', await ws.recv() == big)
        pong = await ws.ping(b'p')
        await asyncio.wait_for(pong, 10)
        print('pong', True)
    print('close', ws.close_code)


async def json_echo(url):
    async with websockets.connect(url) as ws:
        await ws.send('{"n": 42}')
        print(await ws.recv())


async def broadcast(url, count):
    clients = [await websockets.connect(url) for _ in range(count)]
    joined = [await c.recv() for c in clients]
    print('joined', len(joined))
    await clients[0].send('hello room')
    heard = [await asyncio.wait_for(c.recv(), 10) for c in clients]
    print('heard', heard.count('hello room'))
    for c in clients:
        await c.close()


async def refused(url):
    try:
        async with websockets.connect(url):
            print('accepted')
    except InvalidStatusCode as e:
        print('status', e.status_code)


async def hold(url, count, seconds):
    clients = [await websockets.connect(url) for _ in range(count)]
    pids = sorted({await c.recv() for c in clients})  # the workers' pids: the sockets are open end to end
    print('ready', count, ','.join(pids), flush=True)

    async def closed(c):
        try:
            await asyncio.wait_for(c.recv(), seconds)
            return 'message'
        except ConnectionClosed as e:
            return str(e.rcvd.code) if e.rcvd else 'no close frame'
        except asyncio.TimeoutError:
            return 'still open'
    for code in await asyncio.gather(*(closed(c) for c in clients)):
        print('closed', code)


def main(argv):
    command, url = argv[1], argv[2]
    if command == 'echo':
        asyncio.run(echo(url))
    elif command == 'json':
        asyncio.run(json_echo(url))
    elif command == 'broadcast':
        asyncio.run(broadcast(url, int(argv[3])))
    elif command == 'refused':
        asyncio.run(refused(url))
    elif command == 'hold':
        asyncio.run(hold(url, int(argv[3]), float(argv[4])))
    else:
        raise SystemExit('unknown command ' + command)


if __name__ == '__main__':
    main(sys.argv)
