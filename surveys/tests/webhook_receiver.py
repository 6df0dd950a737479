"""A local webhook receiver for the tests: an ``http.server`` on 127.0.0.1 that
checks each call exactly as README (Webhooks) tells a receiver to."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 300


def receiver_check(*, secret: str, headers, body: bytes, seen: set[str], now: float) -> str:
    """The documented check: "ok", or why the call is refused."""
    timestamp = headers.get("X-SKM-Timestamp", "")
    signature = headers.get("X-SKM-Signature", "")
    delivery = headers.get("X-SKM-Delivery", "")
    if not timestamp.isdigit() or abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        return "stale"
    expected = "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return "bad-signature"
    if delivery in seen:
        return "replay"
    return "ok"  # the caller remembers ``delivery`` in ``seen`` once it has processed the call


VERDICT_STATUS = {"ok": 200, "stale": 400, "bad-signature": 401, "replay": 409}


class Receiver:
    def __init__(self):
        self.secret = ""
        self.seen: set[str] = set()
        self.calls: list[dict] = []
        # Status codes to answer with after a verified call (popped in order; then 200).
        self.statuses: list[int] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    verdict = receiver_check(
                        secret=receiver.secret, headers=self.headers, body=body, seen=receiver.seen, now=time.time()
                    )
                    status = VERDICT_STATUS[verdict]
                    if verdict == "ok" and receiver.statuses:
                        status = receiver.statuses.pop(0)
                    if status == 200:
                        receiver.seen.add(self.headers.get("X-SKM-Delivery", ""))
                    receiver.calls.append(
                        {"headers": dict(self.headers), "body": body, "verdict": verdict, "status": status}
                    )
                reply = json.dumps({"verdict": verdict}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/skm-hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def verdicts(self) -> list[str]:
        return [c["verdict"] for c in self.calls]
