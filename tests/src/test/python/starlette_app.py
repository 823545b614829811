"""A small Starlette app (Debian's python3-starlette) for StarletteAppTest, with the routes of the Flask one, and a
lifespan context that puts its state into each request (ASGI lifespan state)."""
import contextlib
import hashlib
import json
import os
from urllib.parse import parse_qsl, unquote_to_bytes

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route


def ascii_json(data):
    return Response(json.dumps(data, sort_keys=True), media_type='application/json')


async def index(request):
    return PlainTextResponse('Hello from Starlette\n')


async def hello(request):
    return PlainTextResponse('Hello, %s!\n' % request.path_params['name'])


async def query(request):
    return ascii_json(sorted(request.query_params.multi_items()))


async def form(request):
    fields = dict(parse_qsl((await request.body()).decode()))
    return PlainTextResponse('name=%s city=%s\n' % (fields['name'], fields['city']))


async def json_echo(request):
    data = await request.json()
    return ascii_json({'received': data, 'total': sum(data['numbers'])})


async def upload(request):
    digest = hashlib.sha256()
    size = 0
    async for chunk in request.stream():
        digest.update(chunk)
        size += len(chunk)
    return PlainTextResponse('%d %s\n' % (size, digest.hexdigest()))


async def set_cookie(request):
    response = PlainTextResponse('cookie set\n')
    response.set_cookie('flavour', 'oatmeal raisin')
    response.set_cookie('session', 'abc123', httponly=True)
    return response


async def get_cookie(request):
    return PlainTextResponse('flavour=%s session=%s\n' % (request.cookies.get('flavour'),
                                                          request.cookies.get('session')))


async def old(request):
    return RedirectResponse(request.url_for('hello', name='redirected'), status_code=302)


async def stream(request):
    async def rows():
        for i in range(1000):
            yield 'row %04d\n' % i
    return StreamingResponse(rows(), media_type='text/plain')


async def raw(request):
    return ascii_json({'path_info_latin1_hex': unquote_to_bytes(request.scope['raw_path']).hex(),
                       'rest': request.path_params['rest']})


async def pid(request):
    return PlainTextResponse('%d\n' % os.getpid())


async def state(request):
    return PlainTextResponse('%d %s\n' % (os.getpid(), request.scope['state'].get('opened_by')))


@contextlib.asynccontextmanager
async def lifespan(app):
    yield {'opened_by': 'lifespan-%d' % os.getpid()}


app = Starlette(routes=[
    Route('/', index),
    Route('/hello/{name}', hello, name='hello'),
    Route('/query', query),
    Route('/form', form, methods=['POST']),
    Route('/json', json_echo, methods=['POST']),
    Route('/upload', upload, methods=['POST']),
    Route('/cookie/set', set_cookie),
    Route('/cookie/get', get_cookie),
    Route('/old', old),
    Route('/stream', stream),
    Route('/raw/{rest:path}', raw),
    Route('/pid', pid),
    Route('/state', state),
], lifespan=lifespan)
