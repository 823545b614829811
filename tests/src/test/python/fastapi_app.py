"""A small FastAPI app (Debian's python3-fastapi) for FastApiAppTest, with the routes of the Flask one: routing,
query strings, forms, JSON, a streamed upload, cookies, redirects, streams; and the ASGI behaviours AsgiAppTest
checks: the lifespan (its startup and shutdown leave marks in $ASGI_MARKS), slow and blocking handlers, a client
that leaves."""
import asyncio
import hashlib
import json
import os
import time
from urllib.parse import parse_qsl, unquote_to_bytes

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response, StreamingResponse

MARKS = os.environ.get('ASGI_MARKS')
app = FastAPI()


def ascii_json(data):
    return Response(json.dumps(data, sort_keys=True), media_type='application/json')


def mark(what):
    if MARKS:
        with open(os.path.join(MARKS, '%s-%d' % (what, os.getpid())), 'w') as f:
            f.write(what)


@app.on_event('startup')
async def startup():
    if os.environ.get('ASGI_FAIL_STARTUP'):
        raise RuntimeError('the database is not there')
    mark('startup')


@app.on_event('shutdown')
async def shutdown():
    mark('shutdown')


@app.get('/', response_class=PlainTextResponse)
async def index():
    return 'Hello from FastAPI\n'


@app.get('/hello/{name}', response_class=PlainTextResponse)
async def hello(name: str):
    return 'Hello, %s!\n' % name


@app.get('/query')
async def query(request: Request):
    return ascii_json(sorted(request.query_params.multi_items()))


@app.post('/form', response_class=PlainTextResponse)
async def form(request: Request):
    fields = dict(parse_qsl((await request.body()).decode()))
    return 'name=%s city=%s\n' % (fields['name'], fields['city'])


@app.post('/json')
async def json_echo(request: Request):
    data = await request.json()
    return ascii_json({'received': data, 'total': sum(data['numbers'])})


@app.post('/upload', response_class=PlainTextResponse)
async def upload(request: Request):
    digest = hashlib.sha256()
    size = 0
    async for chunk in request.stream():
        digest.update(chunk)
        size += len(chunk)
    return '%d %s\n' % (size, digest.hexdigest())


@app.get('/cookie/set', response_class=PlainTextResponse)
async def set_cookie():
    response = PlainTextResponse('cookie set\n')
    response.set_cookie('flavour', 'oatmeal raisin')
    response.set_cookie('session', 'abc123', httponly=True)
    return response


@app.get('/cookie/get', response_class=PlainTextResponse)
async def get_cookie(request: Request):
    return 'flavour=%s session=%s\n' % (request.cookies.get('flavour'), request.cookies.get('session'))


@app.get('/old')
async def old(request: Request):
    return RedirectResponse(request.url_for('hello', name='redirected'), status_code=302)


@app.get('/stream')
async def stream():
    async def rows():
        for i in range(1000):
            yield 'row %04d\n' % i
    return StreamingResponse(rows(), media_type='text/plain')


@app.get('/raw/{rest:path}')
async def raw(request: Request, rest: str):
    return ascii_json({'path_info_latin1_hex': unquote_to_bytes(request.scope['raw_path']).hex(), 'rest': rest})


@app.get('/pid', response_class=PlainTextResponse)
async def pid():
    return '%d\n' % os.getpid()


@app.get('/sleep', response_class=PlainTextResponse)
async def sleep(ms: int = 0):
    """Awaits: many of these run at once on one worker."""
    await asyncio.sleep(ms / 1000)
    return '%d\n' % os.getpid()


@app.get('/block', response_class=PlainTextResponse)
async def block(ms: int = 0):
    """Blocks the event loop, as a synchronous call in a coroutine does."""
    time.sleep(ms / 1000)
    return '%d\n' % os.getpid()


@app.get('/wait-for-disconnect/{tag}')
async def wait_for_disconnect(request: Request, tag: str):
    """Answers nothing until the client leaves, then marks that it saw it."""
    while not await request.is_disconnected():
        await asyncio.sleep(0.05)
    mark('disconnected-' + tag)
    return PlainTextResponse('gone\n')


@app.get('/lifespan-state')
async def lifespan_state(request: Request):
    return {'startup_marked': bool(MARKS) and os.path.exists(os.path.join(MARKS, 'startup-%d' % os.getpid()))}
