"""The emulator on a real loopback socket, and ``python -m hcsync.emulator``.

Owns: a threaded ``http.server`` that turns each HTTP request into an ``httpx.Request``,
hands it to ``Emulator.handle`` and writes the answer back; the command line of the
emulator (``main``).
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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import ClassVar

import httpx

from .app import Emulator
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


class EmulatorServer:
    """A running loopback server: ``.url``, ``.port``, ``.shutdown()``; a context manager."""

    def __init__(self, emulator: Emulator, host: str, port: int) -> None:
        handler = type("Handler", (_Handler,), {"emulator": emulator})
        self._httpd = ThreadingHTTPServer((host, port), handler)
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
            "  hcsync emulator --latency-ms 50 --error-rate 0.1 --commit-then-502 0.2 --seed 7"
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
    return parser


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run an emulator in the foreground, print its URL, serve until interrupted."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        emulator = Emulator(token=args.token, seed=args.seed)
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
