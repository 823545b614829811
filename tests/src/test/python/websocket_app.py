"""WebSocket routes for WebSocketEndToEndTest: Starlette's echo and broadcast, FastAPI's echo, a route that refuses
(close before accept), and a plain HTTP route, all in one ASGI app (Debian's python3-starlette and python3-fastapi)."""
import asyncio
import os

from fastapi import FastAPI, WebSocket as FastApiWebSocket, WebSocketDisconnect
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.websockets import WebSocket

# This worker's members of the broadcast room (each worker has its own: the test runs one worker).
ROOM = set()


async def echo(websocket: WebSocket):
    await websocket.accept(subprotocol=websocket.scope['subprotocols'][0] if websocket.scope['subprotocols']
                           else None)
    try:
        while True:
            message = await websocket.receive()
            if message['type'] == 'websocket.disconnect':
                return
            if message.get('text') is not None:
                await websocket.send_text(message['text'])
            else:
                await websocket.send_bytes(message['bytes'])
    except WebSocketDisconnect:
        pass


async def broadcast(websocket: WebSocket):
    await websocket.accept()
    ROOM.add(websocket)
    try:
        await websocket.send_text('joined %d' % len(ROOM))
        while True:
            text = await websocket.receive_text()
            await asyncio.gather(*(member.send_text(text) for member in list(ROOM)), return_exceptions=True)
    except WebSocketDisconnect:
        pass
    finally:
        ROOM.discard(websocket)


async def refuse(websocket: WebSocket):
    await websocket.close(code=1008)


async def pid(websocket: WebSocket):
    """Says which worker holds the socket, then waits for the client (or the worker's retirement)."""
    await websocket.accept()
    await websocket.send_text(str(os.getpid()))
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect:
        pass


async def plain(request):
    return PlainTextResponse('plain %d\n' % os.getpid())


api = FastAPI()


@api.websocket('/echo')
async def fastapi_echo(websocket: FastApiWebSocket):
    await websocket.accept()
    try:
        while True:
            await websocket.send_json({'echo': await websocket.receive_json()})
    except WebSocketDisconnect:
        pass


app = Starlette(routes=[
    WebSocketRoute('/echo', echo),
    WebSocketRoute('/room', broadcast),
    WebSocketRoute('/refuse', refuse),
    WebSocketRoute('/pid', pid),
    Route('/plain', plain),
    Mount('/api', app=api),
])
