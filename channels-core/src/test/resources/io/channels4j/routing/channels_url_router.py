"""Reference side of URLRouterParityTest: routes paths with the real Django Channels URLRouter.

Reads a JSON list of paths on stdin and prints, for each, what the routed application saw:
{"label", "args", "kwargs", "path_remaining"} or {"error": "..."} when no route matched.
The route table must stay identical to the one in URLRouterParityTest.java.
"""
import asyncio
import json
import sys
import uuid

import django
from django.conf import settings

settings.configure()
django.setup()

from channels.routing import URLRouter  # noqa: E402
from django.urls import path, re_path  # noqa: E402

seen = {}


def leaf(label):
    async def app(scope, receive, send):
        seen["result"] = {
            "label": label,
            "args": list(scope["url_route"]["args"]),
            "kwargs": scope["url_route"]["kwargs"],
            "path_remaining": scope["path_remaining"],
        }

    return app


router = URLRouter([
    path("ws/chat/<str:room_name>/", leaf("chat")),
    path("items/<int:id>/", leaf("int")),
    path("items/<str:name>/", leaf("str")),
    path("blog/<slug:post>/", leaf("slug")),
    path("obj/<uuid:id>/", leaf("uuid")),
    path("files/<path:name>", leaf("path")),
    path("plain/", leaf("plain")),
    path("bare/<room>/", leaf("bare")),
    path("ro/<str:room>/", leaf("defaults"), kwargs={"mode": "readonly", "limit": 10}),
    re_path(r"^re/(\w+)/(?P<room>\w+)/$", leaf("re-named")),
    re_path(r"^re2/(\w+)/([0-9]+)/$", leaf("re-unnamed")),
    re_path(r"^page/(?:(?P<num>[0-9]+)/)?$", leaf("re-optional-named")),
    re_path(r"^list/(?:([0-9]+)/)?$", leaf("re-optional-unnamed")),
    re_path(r"search/(?P<q>[a-z]+)", leaf("re-search")),
    re_path(r"^over/(?P<mode>[a-z]+)/$", leaf("re-default"), kwargs={"mode": "forced"}),
    re_path(r"^twice/(?P<w>[a-z]+)-(?P=w)/$", leaf("re-backref")),
    path("t/<slug:tenant>/", URLRouter([
        path("room/<int:id>/", leaf("nested-room")),
        re_path(r"^feed/(?P<kind>[a-z]+)/$", leaf("nested-feed")),
        path("deep/", URLRouter([path("<str:leaf>/", leaf("nested-deep"))])),
    ])),
    re_path(r"^a/([0-9]+)/", URLRouter([re_path(r"^b/([0-9]+)/$", leaf("nested-args"))])),
    path("k/<str:name>/", URLRouter([
        path("<str:name>/", leaf("nested-override"), kwargs={"from": "inner"}),
    ]), kwargs={"from": "outer", "outer_only": True}),
    path("fb/", URLRouter([path("chat/", leaf("fb-nested"))])),
    path("fb/<str:other>/", leaf("fb-fallback")),
    re_path(r"^rx/", URLRouter([path("<int:n>/", leaf("rx-nested"))])),
])


async def route(p):
    seen.clear()
    try:
        await router({"type": "websocket", "path": p}, None, None)
    except ValueError as e:
        return {"error": str(e)}
    return seen["result"]


def encode(o):
    if isinstance(o, uuid.UUID):
        return str(o)
    raise TypeError(repr(o))


async def main():
    paths = json.load(sys.stdin)
    out = [await route(p) for p in paths]
    json.dump(out, sys.stdout, default=encode, ensure_ascii=False)


asyncio.run(main())
