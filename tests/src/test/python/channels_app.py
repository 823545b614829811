"""A Django Channels app (Debian's python3-django-channels) for WebSocketEndToEndTest: an echo consumer at /echo and
a broadcast consumer at /room (under its mount, /channels) sharing a group through the in-memory channel layer, configured in code."""
import django
from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY='gatehouse-tests-only',
        ALLOWED_HOSTS=['*'],
        INSTALLED_APPS=['channels'],
        CHANNEL_LAYERS={'default': {'BACKEND': 'channels.layers.InMemoryChannelLayer'}},
    )
    django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class EchoConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        subprotocols = self.scope.get('subprotocols') or []
        await self.accept(subprotocols[0] if subprotocols else None)

    async def receive(self, text_data=None, bytes_data=None):
        await self.send(text_data=text_data, bytes_data=bytes_data)


class RoomConsumer(AsyncWebsocketConsumer):
    group = 'room'

    async def connect(self):
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send(text_data='joined')

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(self.group, {'type': 'room.message', 'text': text_data})

    async def room_message(self, event):
        await self.send(text_data=event['text'])


# Channels 4.0 matches the whole path (ASGI's path includes root_path): the test mounts the app at /channels
application = ProtocolTypeRouter({
    'websocket': URLRouter([
        path('channels/echo', EchoConsumer.as_asgi()),
        path('channels/room', RoomConsumer.as_asgi()),
    ]),
})
