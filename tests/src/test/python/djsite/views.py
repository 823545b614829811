import hashlib
import json
import os
from urllib.parse import unquote_to_bytes

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt


def index(request):
    return HttpResponse('Hello from Django\n', content_type='text/plain')


def hello(request, name):
    return HttpResponse('Hello, %s!\n' % name, content_type='text/plain')


def query(request):
    return JsonResponse(sorted((k, v) for k in request.GET for v in request.GET.getlist(k)), safe=False)


@csrf_exempt
def form(request):
    return HttpResponse('name=%s city=%s\n' % (request.POST['name'], request.POST['city']), content_type='text/plain')


@csrf_exempt
def json_echo(request):
    data = json.loads(request.body)
    return JsonResponse({'received': data, 'total': sum(data['numbers'])}, json_dumps_params={'sort_keys': True})


@csrf_exempt
def upload(request):
    uploaded = request.FILES['file']
    digest = hashlib.sha256()
    for chunk in uploaded.chunks(65536):
        digest.update(chunk)
    return HttpResponse('%d %s %s\n' % (uploaded.size, digest.hexdigest(), type(uploaded).__name__),
                        content_type='text/plain')


def set_cookie(request):
    response = HttpResponse('cookie set\n', content_type='text/plain')
    response.set_cookie('flavour', 'oatmeal raisin')
    response.set_cookie('session', 'abc123', httponly=True)
    return response


def get_cookie(request):
    return HttpResponse('flavour=%s session=%s\n' % (request.COOKIES.get('flavour'), request.COOKIES.get('session')),
                        content_type='text/plain')


def old(request):
    return redirect(reverse('hello', kwargs={'name': 'redirected'}))


def stream(request):
    return StreamingHttpResponse(('row %04d\n' % i for i in range(1000)), content_type='text/plain')


def raw(request, rest):
    if hasattr(request, 'scope'):  # served by djsite.asgi: the path's bytes as the client sent them
        path_bytes = unquote_to_bytes(request.scope['raw_path'])
    else:
        path_bytes = request.environ['test.raw_path_info'].encode('latin-1')
    return JsonResponse({'path_info_latin1_hex': path_bytes.hex(), 'rest': rest})


def pid(request):
    return HttpResponse('%d\n' % os.getpid(), content_type='text/plain')
