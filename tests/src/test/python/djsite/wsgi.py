import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'djsite.settings')
django_application = get_wsgi_application()


def application(environ, start_response):
    # Django replaces PATH_INFO with its decoded form; keep the native string as the server passed it.
    environ['test.raw_path_info'] = environ['PATH_INFO']
    return django_application(environ, start_response)
