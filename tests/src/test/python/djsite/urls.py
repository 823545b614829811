from django.urls import path, re_path

from djsite import views

urlpatterns = [
    path('', views.index),
    path('hello/<str:name>/', views.hello, name='hello'),
    path('query/', views.query),
    path('form/', views.form),
    path('json/', views.json_echo),
    path('upload/', views.upload),
    path('cookie/set/', views.set_cookie),
    path('cookie/get/', views.get_cookie),
    path('old/', views.old),
    path('stream/', views.stream),
    re_path(r'^raw/(?P<rest>.*)$', views.raw),
    path('pid/', views.pid),
]
