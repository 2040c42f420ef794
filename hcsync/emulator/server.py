"""The emulator on a real loopback socket, and ``python -m hcsync.emulator``.

Owns: a threaded ``http.server`` that turns each HTTP request into an ``httpx.Request``,
hands it to ``Emulator.handle`` and writes the answer back; the command line of the
emulator (``main``), with one flag per fault and per ``Behaviour`` switch
(``behaviour_from_args`` maps the parsed flags to a ``Behaviour``).
Must not: decide any answer itself (``Emulator.handle`` does) or listen beyond loopback
unless told to.

Real latency sleeps happen in the handler thread, so slow requests overlap as they would
against Intercom.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from dataclasses import fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import ClassVar

import httpx

from .app import Emulator
from .behaviour import CHOICES, Behaviour
from .faults import Faults


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so clients reuse connections as with Intercom
    # Headers and body go out in separate writes; with Nagle's algorithm on, the body waits
    # for the client's delayed ACK (~40 ms a request), which would swamp the latency switch.
    disable_nagle_algorithm = True
    emulator: ClassVar[Emulator]

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        content = self.rfile.read(length) if length > 0 else b""
        host = self.headers.get("Host") or "127.0.0.1"
        request = httpx.Request(
            self.command,
            f"http://{host}{self.path}",
            headers=list(self.headers.items()),
            content=content,
        )
        response = self.emulator.handle(request)
        body = response.content
        self.send_response(response.status_code)
        for name, value in response.headers.items():
            if name.lower() not in ("content-length", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    def log_message(self, format: str, *args: object) -> None:
        return None  # the request log lives on the emulator, not on stderr


class _Server(ThreadingHTTPServer):
    # The listen backlog: socketserver's default of 5 makes a client opening 32 connections
    # at once (hcsync's default parallelism) wait seconds for SYN retransmits, or be reset.
    request_queue_size = 1024


class EmulatorServer:
    """A running loopback server: ``.url``, ``.port``, ``.shutdown()``; a context manager."""

    def __init__(self, emulator: Emulator, host: str, port: int) -> None:
        handler = type("Handler", (_Handler,), {"emulator": emulator})
        self._httpd = _Server((host, port), handler)
        self._httpd.daemon_threads = True
        self.host = host
        self.port: int = self._httpd.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name=f"hcsync-emulator:{self.port}", daemon=True
        )
        self._thread.start()
        self._closed = False

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    close = shutdown

    def wait(self) -> None:
        """Block until the server is shut down (the foreground mode of ``main``)."""
        self._thread.join()

    def __enter__(self) -> EmulatorServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.shutdown()


def serve(emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> EmulatorServer:
    """Serve ``emulator`` over HTTP on ``host:port`` (0: any free port) in a thread."""
    return EmulatorServer(emulator, host, port)


def _port(value: str) -> int:
    """A TCP port number for argparse: 0 (any free port) to 65535."""
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port: {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0 to 65535, not {port}")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hcsync emulator",
        description="Run the Intercom Help Center emulator (REST API 2.10) on loopback.",
        epilog=(
            "examples:\n"
            "  hcsync emulator --port 8765 --help-center acme --token demo-token\n"
            "  hcsync emulator --latency-ms 50 --error-rate 0.1 --commit-then-502 0.2 --seed 7\n"
            "  hcsync emulator --unstable-ties --null-locale reject --nested-description drop \\\n"
            "      --escape-names --per-page-over-max reject --top-level-parent-id 0 \\\n"
            "      --top-level-help-center-id null --no-total-pages --no-depth-on-moves \\\n"
            "      --collection-delete-with-articles orphan --heading-levels renumber \\\n"
            "      --no-rewrite-html --no-signed-image-urls"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=_port, default=0, help="port (default 0: any free one)")
    parser.add_argument(
        "--help-center", default="acme", help="identifier of the one help center (default acme)"
    )
    parser.add_argument("--token", help="the only access token accepted (default: any)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every request")
    parser.add_argument("--error-rate", type=float, default=0.0, help="chance of a 5xx, 0..1")
    parser.add_argument(
        "--commit-then-502", type=float, default=0.0, help="chance a create commits, then 502"
    )
    parser.add_argument(
        "--rate-limit", type=int, help="requests per 10-second window (default 166)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for the fault dice")
    _add_behaviour_arguments(parser)
    return parser


# The switches with a choice of values: their flag is the name with dashes.
_CHOICE_HELP = {
    "null_locale": "what a null locale in translated_content does: delete the translation, "
    "ignore the null, or reject the request with 400",
    "nested_description": "drop: nested collections keep no description (read back as null)",
    "per_page_over_max": "a per_page above 150: clamp it, or reject it with 400",
    "top_level_parent_id": 'how a top-level collection\'s parent_id reads: null or "0" '
    '(with 0, writes accept "0" as top level too)',
    "top_level_help_center_id": "null: top-level collections read back with help_center_id null",
    "translations_on_put": "what a PUT's translated_content does to the locales it does not "
    "name: merge keeps them, replace drops them",
    "collection_delete_with_articles": "deleting a collection that holds articles: refuse it "
    "with 400, or delete it and orphan the articles (parent null) or delete them too",
    "heading_levels": "what stored article bodies do to headings: h2 (h3-h6 become h2), "
    "renumber (the levels used renumbered from h1) or keep",
}


def _add_behaviour_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "behaviour", "how to answer where real Intercom's behaviour is unknown (default first)"
    )
    group.add_argument(
        "--no-depth-on-moves",
        dest="depth_on_moves",
        action="store_false",
        help="check the 3-level depth limit on creates only, not on moves (PUT parent_id)",
    )
    group.add_argument(
        "--unstable-ties",
        action="store_true",
        help="list items with equal updated_at in a fresh random order on each request",
    )
    for switch, help in _CHOICE_HELP.items():
        group.add_argument(
            "--" + switch.replace("_", "-"),
            choices=CHOICES[switch],
            default=getattr(Behaviour(), switch),
            help=help,
        )
    group.add_argument(
        "--escape-names",
        action="store_true",
        help="read names back HTML-escaped (& as &amp;), stored as written",
    )
    group.add_argument(
        "--no-rewrite-html",
        dest="rewrite_html",
        action="store_false",
        help="store article bodies exactly as sent, not as Intercom rewrites them",
    )
    group.add_argument(
        "--no-signed-image-urls",
        dest="signed_image_urls",
        action="store_false",
        help="read re-hosted article images at a stable URL, not a freshly signed one",
    )
    group.add_argument(
        "--no-total-pages",
        dest="total_pages",
        action="store_false",
        help="omit pages.total_pages from the lists (clients follow pages.next)",
    )


def behaviour_from_args(args: argparse.Namespace) -> Behaviour:
    """The ``Behaviour`` the parsed command line asks for (every switch has a flag)."""
    return Behaviour(**{switch.name: getattr(args, switch.name) for switch in fields(Behaviour)})


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run an emulator in the foreground, print its URL, serve until interrupted."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        emulator = Emulator(token=args.token, seed=args.seed, behaviour=behaviour_from_args(args))
        faults = Faults(
            latency=args.latency_ms / 1000,
            error_rate=args.error_rate,
            commit_then_502=args.commit_then_502,
            **({} if args.rate_limit is None else {"rate_limit": args.rate_limit}),
        )
    except ValueError as err:
        parser.error(str(err))
    emulator.faults = faults
    emulator.add_help_center(args.help_center)
    try:
        server = serve(emulator, host=args.host, port=args.port)
    except OSError as err:
        print(f"hcsync emulator: cannot listen on {args.host}:{args.port}: {err}", file=sys.stderr)
        return 1
    print(server.url, flush=True)
    if threading.current_thread() is threading.main_thread():
        # `kill` and container stops send SIGTERM: stop as cleanly as on Ctrl-C
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
