"""Prism serving Twilio's own OpenAPI description, and a small fault-injecting proxy in
front of it (scripted 500s/429s, and a request held so a worker can be killed mid-send)."""

import json
import shutil
import socket
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import requests

ROOT = Path(__file__).resolve().parents[2]
PRISM = ROOT / "node_modules/.bin/prism"
TWILIO_SPEC = ROOT / "node_modules/@twilio-alpha/mcp/twilio-oai/spec/json/twilio_api_v2010.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_prism(log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Prism in dynamic mode (so every message gets its own sid), refusing invalid requests."""
    if not PRISM.exists() or not TWILIO_SPEC.exists():
        raise RuntimeError("Prism or Twilio's spec is missing: run `make test` (npm ci)")
    port = free_port()
    node = shutil.which("node")
    assert node, "node is missing"
    with log_path.open("wb") as log:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            [
                str(PRISM),
                "mock",
                "--dynamic",
                "--errors",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                str(TWILIO_SPEC),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("prism stopped: " + log_path.read_text()[-2000:])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("prism did not start: " + log_path.read_text()[-2000:])


class FaultProxy:
    """Forwards to Prism; answers the next scripted statuses itself; counts what Prism
    accepted, by message body; can hold one request until told what to do with it."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.script: list[int] = []
        self.accepted: Counter[str] = Counter()
        self.seen = 0
        self.hold_after: int | None = None  # hold the request after this many accepted
        self.holding = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                body = parse_qs(raw.decode()).get("Body", [""])[0]
                with proxy.lock:
                    proxy.seen += 1
                    scripted = proxy.script.pop(0) if proxy.script else None
                    hold = (
                        proxy.hold_after is not None
                        and sum(proxy.accepted.values()) >= proxy.hold_after
                    )
                    if hold:
                        proxy.hold_after = None
                if hold:  # never reaches Prism: the provider did not take it
                    proxy.holding.set()
                    proxy.release.wait(30)
                    self._answer(503, {"code": 20503, "message": "dropped", "status": 503})
                    return
                if scripted is not None:
                    self._answer(scripted, {"code": 20000 + scripted, "message": "injected"})
                    return
                answer = requests.post(
                    proxy.upstream + self.path,
                    data=raw,
                    headers={
                        "Content-Type": self.headers["Content-Type"],
                        "Authorization": self.headers.get("Authorization", ""),
                        "Accept": "application/json",
                    },
                    timeout=30,
                )
                if answer.status_code == 201:
                    with proxy.lock:
                        proxy.accepted[body] += 1
                self._answer(answer.status_code, answer.json())

            def _answer(self, status: int, payload: object) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client is gone (killed)

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
