"""A small FastAPI app (Debian's python3-fastapi), served by bench/asgi.sh: Gatehouse (interface: asgi, detected)
beside uvicorn, hypercorn and daphne."""
from fastapi import FastAPI

app = FastAPI()


@app.get('/')
async def hello():
    return {'message': 'Hello, world!'}


@app.get('/greet/{name}')
async def greet(name: str):
    return {'message': 'Hello, %s!' % name, 'length': len(name)}
