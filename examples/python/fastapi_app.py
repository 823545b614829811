"""A small FastAPI app (Debian's python3-fastapi), served by bench/asgi.sh: Gatehouse (interface: asgi, detected)
beside uvicorn, hypercorn and daphne: a JSON endpoint and a WebSocket echo."""
from fastapi import FastAPI, WebSocket, WebSocketDisconnect

app = FastAPI()


@app.get('/')
async def hello():
    return {'message': 'Hello, world!'}


@app.get('/greet/{name}')
async def greet(name: str):
    return {'message': 'Hello, %s!' % name, 'length': len(name)}


@app.websocket('/ws/echo')
async def echo(websocket: WebSocket):
    """Echoes every text message back: bench/asgi.sh's WebSocket round trips."""
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass
