"""What an image or a video URL means: identity, the video hosts, and relative sources.

Image identity
--------------
An image is the **file name**, the last segment of its URL's path, percent-decoded, with
each run of characters outside ``A-Z a-z 0-9 . _ -`` read as one ``-`` (a CDN may store
``install screen.png`` as ``install-screen.png``), plus its **alt text** (whitespace
collapsed). Scheme, host, the rest of the path, query and fragment are
dropped: Intercom re-hosts the file on its CDN
(``https://downloads.intercomcdn.com/i/o/<n>/<hex>/settings.png?expires=…&signature=…``),
keeping the name, and signs the URL afresh on every read. So replacing ``settings.png`` with
``settings-v2.png`` (or changing the alt text) is a change; editing the pixels of
``settings.png`` under the same name is not (rename the file to publish a new picture). A URL
whose path ends in ``/`` is identified by its host and path; a ``data:`` URL by a hash of it.
A video is identified by its whole ``src`` (scheme and host lowercased, ``//`` and
``http:`` read as ``https:``).

Owns ``image_identity``, the video ``src`` form, ``VIDEO_HOSTS`` and resolving a relative
``src`` against ``images_base_url``. Must not read or write HTML.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

# The hosts Intercom's "supported HTML" guide names for <iframe> videos (YouTube, Wistia,
# Vimeo, Loom, Vidyard, StreamIO); a src on any other host is a 400. A subdomain counts
# (www.youtube.com, player.vimeo.com, fast.wistia.net, play.vidyard.com).
VIDEO_HOSTS: tuple[str, ...] = (
    "youtube.com",
    "youtube-nocookie.com",
    "vimeo.com",
    "wistia.com",
    "wistia.net",
    "loom.com",
    "vidyard.com",
    "streamio.com",
)

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def image_identity(src: str) -> str:
    """What identifies an image across Intercom's re-hosting: the file name of its URL path.

    ``https://cdn.example/i/o/1/ab/Settings%20page.png?expires=1&signature=f`` and
    ``images/Settings page.png`` are both ``Settings page.png``.
    """
    src = src.strip()
    if src.lower().startswith("data:"):
        return "data-" + hashlib.sha256(src.encode("utf-8")).hexdigest()[:16]
    parts = urlsplit(src)
    name = unquote(parts.path.rsplit("/", 1)[-1]) or unquote(parts.netloc + parts.path)
    # A CDN may keep a name only in a safe alphabet ("install screen.png" stored as
    # "install-screen.png"): compare in that alphabet, so either way it is the same image.
    return _UNSAFE_NAME.sub("-", name)


def _video_src(src: str) -> str:
    src = src.strip()
    if src.startswith("//"):
        src = "https:" + src
    parts = urlsplit(src)
    scheme = parts.scheme.lower()
    if scheme == "http":
        scheme = "https"
    return urlunsplit((scheme, parts.netloc.lower(), parts.path, parts.query, parts.fragment))


def _is_relative(src: str) -> bool:
    parts = urlsplit(src.strip())
    return not parts.scheme and not parts.netloc


def _resolve(src: str, base: str | None) -> str:
    if base is None or not src.strip() or not _is_relative(src):
        return src
    # urljoin drops the last segment of a base without a trailing slash: ".../docs" + "a.png"
    # would be ".../a.png". images_base_url names a folder, so read it as one.
    return urljoin(base if base.endswith("/") else base + "/", src.strip())
