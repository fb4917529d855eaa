"""A local stand-in for the portal's reporting API (127.0.0.1 only), replaying the real bundled responses.

``python tests/portal_replay.py [--port 8766] [--lifetime 900]`` starts it for a try by hand (it
stops by itself after ``--lifetime`` seconds); the tests use :func:`replay_server`.

* The six scoring endpoints answer with the bytes of ``data/portal/phu-tho-2026-08/raw`` for Phú
  Thọ (H44), August 2026, and with empty lists for any other province or period.
* ``service-results`` is not among the bundled captures: its two answers are rebuilt here in the
  shape public collectors read (``data.evaluation[].departmentId/departmentCode/departmentName``):
  the provinces list from the real unit ids of Phú Thọ (bundled responses), Gia Lai
  (duynghiaqn/Crawler-766, ``tools/crawl_gl.py``) and Đắk Lắk (hauphanquoc/766-Analyze,
  ``src/config.js``), and Phú Thọ's units from the bundled responses with their published totals.
* Faults are queued per request name (``provinces``, ``service-results`` or an endpoint) and used
  one per request: ``500``, ``timeout`` (no answer before the client gives up), ``429`` (with
  ``Retry-After``), ``truncated`` (half the JSON, as a complete HTTP answer), ``cut`` (the
  connection closes half way through the announced body), ``wrong-shape``, ``empty`` (an empty
  list), ``error-code`` (the portal's own error envelope) and ``slow`` (answers late, in time).
"""

from __future__ import annotations

import argparse
import csv
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "portal" / "phu-tho-2026-08" / "raw"
PUBLISHED = ROOT / "data" / "portal" / "phu-tho-2026-08" / "published.csv"
API_PATH = "/api/v1/reporting/evaluation/"
ENDPOINTS = (
    "transparency", "dvc-progress-tree", "provide-online-tree",
    "formality-online-payment-tree", "handling-satisfaction", "dossier-digitized",
)
TREES = ("dvc-progress-tree", "provide-online-tree", "formality-online-payment-tree")
KNOWN_PROVINCES = {  # code → (departmentId, name); ids as the portal gives them
    "H15": ("019d2be3-6a85-74ec-a33c-a7c04919ba00", "UBND tỉnh Đắk Lắk"),
    "H21": ("019d2be3-6a85-74ec-a346-6489e82ae4c7", "UBND tỉnh Gia Lai"),
}
PERIOD = {"timeType": "month", "year": 2026, "month": 8}
DATES = {"fromDate": "2026-08-01", "toDate": "2026-08-31"}


def _bundled() -> dict[str, bytes]:
    return {name: (RAW / f"{name}.json").read_bytes() for name in ENDPOINTS}


def _json(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def rebuilt_service_results(raw: dict[str, bytes]) -> tuple[str, bytes, bytes]:
    """(H44's id, the provinces list, H44's units) in the shape collectors read."""
    tree = json.loads(raw["dvc-progress-tree"])["data"]
    parent = tree["parent"]
    with PUBLISHED.open(encoding="utf-8-sig") as handle:
        totals = {row["unit_code"]: float(row["total"]) for row in csv.DictReader(handle)}
    provinces = [
        {"departmentId": parent["departmentId"], "departmentCode": "H44", "departmentName": parent["departmentName"], "totalScore": totals["H44"]},
        *({"departmentId": i, "departmentCode": c, "departmentName": n} for c, (i, n) in sorted(KNOWN_PROVINCES.items())),
    ]
    units = [
        {"departmentId": c["departmentId"], "departmentCode": c["departmentCode"], "departmentName": c["departmentName"],
         "level": c.get("level"), "totalScore": totals.get(c["departmentCode"])}
        for c in tree["children"]
    ]
    overview = {"departmentId": parent["departmentId"], "departmentCode": "H44", "departmentName": parent["departmentName"], "totalScore": totals["H44"]}
    return (
        parent["departmentId"],
        _json({"code": "OK", "data": {"evaluation": provinces}}),
        _json({"code": "OK", "data": {"overview": overview, "evaluation": units}}),
    )


@dataclass
class Served:
    """One request as the server saw it."""

    name: str
    body: dict[str, Any]
    fault: str | None
    started: float
    ended: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class ReplayPortal:
    """The server's state: answers, queued faults, the requests seen."""

    faults: dict[str, deque[str]] = field(default_factory=lambda: defaultdict(deque))
    retry_after: str = "0"
    hang: float = 1.0
    slow: float = 0.05
    served: list[Served] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.raw = _bundled()
        self.root_id, self.provinces, self.units = rebuilt_service_results(self.raw)

    def add_faults(self, name: str, *faults: str) -> None:
        self.faults[name].extend(faults)

    def names(self) -> list[str]:
        return [s.name for s in self.served]

    def answer(self, name: str, body: dict[str, Any]) -> bytes:
        ours = body.get("rootDepartmentId") == self.root_id
        if name == "provinces":
            same = {k: body.get(k) for k in PERIOD} == PERIOD
            return self.provinces if same else _json({"code": "OK", "data": {"evaluation": []}})
        if name == "service-results":
            same = {k: body.get(k) for k in PERIOD} == PERIOD
            return self.units if ours and same else _json({"code": "OK", "data": {"overview": {}, "evaluation": []}})
        expected = DATES if name == "handling-satisfaction" else PERIOD
        if ours and {k: body.get(k) for k in expected} == expected:
            return self.raw[name]
        return self.empty(name)

    @staticmethod
    def empty(name: str) -> bytes:
        if name in TREES:
            return _json({"code": "OK", "data": {"parent": {}, "children": []}})
        return _json({"code": "OK", "data": {"overview": {}, "evaluation": []}})


def _handler(portal: ReplayPortal) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def send(self, status: int, body: bytes, *, length: int | None = None, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.send_header("Connection", "close")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            endpoint = self.path.removeprefix(API_PATH)
            if not self.path.startswith(API_PATH) or endpoint not in (*ENDPOINTS, "service-results"):
                self.send(404, _json({"code": "NOT_FOUND"}))
                return
            name = "provinces" if endpoint == "service-results" and "rootDepartmentId" not in body else endpoint
            with portal.lock:
                fault = portal.faults[name].popleft() if portal.faults[name] else None
                seen = Served(name, body, fault, time.monotonic(), headers=dict(self.headers.items()))
                portal.served.append(seen)
                portal.in_flight += 1
                portal.most_in_flight = max(portal.most_in_flight, portal.in_flight)
            try:
                self.reply(name, body, fault)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with portal.lock:
                    portal.in_flight -= 1
                    seen.ended = time.monotonic()

        def reply(self, name: str, body: dict[str, Any], fault: str | None) -> None:
            answer = portal.answer(name, body)
            if fault == "500":
                self.send(500, b'{"code":"INTERNAL_ERROR"}')
            elif fault == "timeout":
                time.sleep(portal.hang)
                self.send(200, answer)
            elif fault == "429":
                self.send(429, b'{"code":"TOO_MANY_REQUESTS"}', headers={"Retry-After": portal.retry_after})
            elif fault == "truncated":
                self.send(200, answer[: len(answer) // 2])
            elif fault == "cut":
                self.send(200, answer[: len(answer) // 2], length=len(answer))
                self.close_connection = True
            elif fault == "wrong-shape":
                self.send(200, _json({"code": "OK", "data": {"items": [], "total": 0}}))
            elif fault == "empty":
                self.send(200, portal.empty(name))
            elif fault == "error-code":
                self.send(200, _json({"code": "ERROR", "message": "Tham số không hợp lệ"}))
            elif fault == "slow":
                time.sleep(portal.slow)
                self.send(200, answer)
            else:
                self.send(200, answer)

    return Handler


@contextmanager
def replay_server(*, port: int = 0, lifetime: float = 120.0) -> Iterator[tuple[str, ReplayPortal]]:
    """``with replay_server() as (base_url, portal):`` — on 127.0.0.1, gone when the block ends
    (or after ``lifetime`` seconds, whichever comes first)."""
    portal = ReplayPortal()
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(portal))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    timer = threading.Timer(lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", portal
    finally:
        timer.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main() -> None:
    parser = argparse.ArgumentParser(description="Replay the portal's bundled responses on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--lifetime", type=float, default=900.0, help="seconds before it stops by itself (default 900)")
    args = parser.parse_args()
    with replay_server(port=args.port, lifetime=args.lifetime) as (url, _):
        print(f"replaying the portal at {url} for {args.lifetime:g} s (Ctrl-C stops it)", flush=True)
        try:
            time.sleep(args.lifetime)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
