"""``collect``: the portal's public reporting responses for a province and a period (thu thập số liệu Cổng DVCQG).

``python -m analysis collect --province H44 --period 2026-08 [--captures DIR] [--base-url URL] [--delay S]``

Requests (``POST``, JSON body), as public collectors of the national portal call them:

1. ``/api/v1/reporting/evaluation/service-results`` with ``{timeType, year, month|quarter,
   departmentType: "ADMINISTRATIVE_UNIT"}``: the provinces and their unit ids (saved as
   ``provinces.json``); the province's code (``H44``) gives its ``departmentId``;
2. the same endpoint with ``rootDepartmentId``: the province's units (``service-results.json``);
3. the six scoring endpoints (:data:`analysis.io.portal.ENDPOINTS`) with ``{timeType, year,
   month|quarter, rootDepartmentId}``, except ``handling-satisfaction``, which takes
   ``{fromDate, toDate, rootDepartmentId}`` (the period's first and last day).

A capture is one province, one period, one day (UTC): ``<captures>/<province>/<period>/<YYYYMMDD>/``
holds each response byte for byte as ``<name>.json`` and ``manifest.json`` (for each response: URL,
request body, capture time, HTTP status, size, sha256).  A complete capture's facts (the same
conversion as any saved responses, :mod:`analysis.io.portal`) are added to the history store
(:mod:`analysis.scoring.history`) as the vintage of that day, source ``portal``.  Every file is written under a temporary
name and renamed into place, and a response enters the manifest only once its file is in place,
so a capture stopped at any moment is resumed by running the command again: what the manifest
holds is not fetched again.  Requests go one at a time, with a pause between them; timeouts,
5xx answers, 429 (its ``Retry-After`` honoured up to a bound) and truncated answers are retried
with a growing pause, a bounded number of times.  An answer of the wrong shape, a province or a
period the portal does not know, or retries used up stop the run with exit status 2 and a
message naming the endpoint and what was wrong.  No credentials are needed or sent.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from analysis.contract.periods import Period, parse_period
from analysis.errors import fail
from analysis.io.load import write_bytes_atomic
from analysis.io.portal import ENDPOINTS, read_portal
from analysis.paths import DATA
from analysis.run.progress import Progress
from analysis.run.runlock import RunLock
from analysis.scoring import history

PORTAL_URL = "https://dichvucong.gov.vn"
API_PATH = "/api/v1/reporting/evaluation/"
DEFAULT_CAPTURES = DATA / "portal" / "captures"
"""Where captures are kept when no ``--captures`` folder is named (git-ignored)."""

MANIFEST = "manifest.json"
PAGE_SIZE = 500
SOURCE = "Cổng Dịch vụ công quốc gia (dichvucong.gov.vn), public reporting API"
STORE_SOURCE = "portal"
"""The source name a capture's facts carry in the history store."""
USER_AGENT = "analysis-766 (public reporting figures; one request at a time)"
TREE_ENDPOINTS = ("dvc-progress-tree", "provide-online-tree", "formality-online-payment-tree")


@dataclass(frozen=True)
class Settings:
    """How politely and how persistently to ask (every wait is in seconds)."""

    base_url: str = PORTAL_URL
    delay: float = 2.0
    """Pause before each request after the first."""
    timeout: float = 60.0
    """How long one request may take."""
    retries: int = 4
    """Retries after the first attempt of a request (timeouts, 5xx, 429, truncated answers)."""
    backoff: float = 5.0
    """Pause before the first retry, doubled for each further one."""
    max_wait: float = 300.0
    """The longest pause accepted, a ``Retry-After`` included; a longer one stops the run."""
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)


@dataclass(frozen=True)
class PortalRequest:
    """One request of a capture: the file it is saved as, the endpoint and the JSON body."""

    name: str
    endpoint: str
    body: dict[str, Any]

    def url(self, base_url: str) -> str:
        return base_url.rstrip("/") + API_PATH + self.endpoint

    def payload(self) -> bytes:
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Capture:
    """What a collect run left: the capture's folder and what it fetched or found saved."""

    folder: Path
    province: str
    period: str
    captured_on: str  # YYYY-MM-DD (UTC)
    fetched: tuple[str, ...]
    reused: tuple[str, ...]
    attempts: int


class RetryableAnswer(Exception):
    """An answer worth asking again for (timeout, 5xx, 429, truncated body)."""

    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


# --------------------------------------------------------------------------------------------
# requests


def time_fields(period: Period) -> dict[str, Any]:
    """``timeType``, ``year`` and ``month``/``quarter`` of a month, quarter or year."""
    if period.kind == "month":
        return {"timeType": "month", "year": period.start.year, "month": period.start.month}
    if period.kind == "quarter":
        return {"timeType": "quarter", "year": period.start.year, "quarter": (period.start.month - 1) // 3 + 1}
    if period.kind == "year":
        return {"timeType": "year", "year": period.start.year}
    raise ValueError(f"the portal reports months, quarters and years, not a date range ({period.code})")


def province_lookup(period: Period) -> PortalRequest:
    """The provinces the portal scores for the period, with their unit ids."""
    return PortalRequest("provinces", "service-results", {**time_fields(period), "departmentType": "ADMINISTRATIVE_UNIT"})


def province_requests(period: Period, root_id: str) -> list[PortalRequest]:
    """The province's units, then the six scoring endpoints, for one period."""
    paging = {"currentPage": 1, "pageSize": PAGE_SIZE}
    timed = {**time_fields(period), "rootDepartmentId": root_id, **paging}
    dated = {"fromDate": period.start.isoformat(), "toDate": period.end.isoformat(), "rootDepartmentId": root_id, **paging}
    requests = [PortalRequest("service-results", "service-results", timed)]
    for endpoint in ENDPOINTS:
        requests.append(PortalRequest(endpoint, endpoint, dated if endpoint == "handling-satisfaction" else timed))
    return requests


# --------------------------------------------------------------------------------------------
# answers: shape checks


def parse_answer(request: PortalRequest, body: bytes) -> dict[str, Any]:
    """The answer as JSON; a body that is not JSON (cut short, an error page) is worth retrying."""
    try:
        payload = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise RetryableAnswer(f"not valid JSON ({len(body)} bytes; {exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise RetryableAnswer(f"not valid JSON ({len(body)} bytes; {exc.msg} at byte {exc.pos})") from None
    if not isinstance(payload, dict):
        raise fail(request.endpoint, f"the answer is a JSON {type(payload).__name__}, not an object with 'code' and 'data'")
    return payload


def check_answer(request: PortalRequest, payload: dict[str, Any], province: str, period: str) -> None:
    """Stop (exit 2) when the answer does not have the shape the portal's responses have."""
    where = request.endpoint
    if payload.get("code") != "OK":
        said = payload.get("message") or payload.get("msg") or payload.get("error") or ""
        raise fail(where, f"the portal answered code {payload.get('code')!r} {said}".rstrip())
    data = payload.get("data")
    if not isinstance(data, dict):
        raise fail(where, "the answer has no 'data' object (wrong shape)")
    if request.endpoint in TREE_ENDPOINTS:
        head, rows_key = "parent", "children"
    else:
        head, rows_key = "overview", "evaluation"
    rows = data.get(rows_key)
    if request.name == "provinces":
        head = None
    if head is not None and not isinstance(data.get(head), dict):
        raise fail(where, f"the answer has no 'data.{head}' object (wrong shape: keys {', '.join(sorted(data)) or 'none'})")
    if not isinstance(rows, list):
        raise fail(where, f"the answer has no 'data.{rows_key}' list (wrong shape: keys {', '.join(sorted(data)) or 'none'})")
    if not rows:
        raise fail(where, f"'data.{rows_key}' is empty: the portal has no figures for {province}, {period}")
    bad = next((n for n, row in enumerate(rows, start=1) if not isinstance(row, dict) or not row.get("departmentId")), None)
    if bad is not None:
        raise fail(where, f"item {bad} of 'data.{rows_key}' has no departmentId (wrong shape)")


def root_department_id(payload: dict[str, Any], province: str, period: str) -> str:
    """The province's ``departmentId`` in the provinces list; exit 2 when the portal does not know it."""
    rows = payload["data"]["evaluation"]
    for row in rows:
        if str(row.get("departmentCode", "")).upper() == province.upper():
            return str(row["departmentId"])
    known = ", ".join(sorted(str(r.get("departmentCode")) for r in rows if r.get("departmentCode")))
    raise fail("service-results", f"the portal does not know province '{province}' for {period} (it lists {known})")


# --------------------------------------------------------------------------------------------
# one request, with retries


def retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def post_once(request: PortalRequest, settings: Settings) -> tuple[int, bytes]:
    """One POST; (status, body) of a 2xx answer, :class:`RetryableAnswer` for what may pass."""
    http_request = urllib.request.Request(
        request.url(settings.base_url),
        data=request.payload(),
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json", "User-Agent": USER_AGENT},
    )
    try:
        with urllib.request.urlopen(http_request, timeout=settings.timeout) as answer:  # noqa: S310 - the base URL is a setting
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        exc.read()
        if exc.code == 429:
            raise RetryableAnswer("HTTP 429 (too many requests)", retry_after(exc.headers.get("Retry-After"))) from None
        if exc.code >= 500:
            raise RetryableAnswer(f"HTTP {exc.code}", retry_after(exc.headers.get("Retry-After"))) from None
        raise fail(request.endpoint, f"HTTP {exc.code} {exc.reason} from {request.url(settings.base_url)}") from None
    except TimeoutError:
        raise RetryableAnswer(f"no answer within {settings.timeout:g} s (timeout)") from None
    except http.client.IncompleteRead as exc:
        raise RetryableAnswer(f"answer cut short ({len(exc.partial)} bytes received)") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise RetryableAnswer(f"no answer within {settings.timeout:g} s (timeout)") from None
        raise RetryableAnswer(f"connection failed ({reason})") from None
    except (http.client.HTTPException, ConnectionError) as exc:
        raise RetryableAnswer(f"connection broken ({type(exc).__name__})") from None


def fetch(request: PortalRequest, settings: Settings, *, say: Callable[[str], None]) -> tuple[int, bytes, dict[str, Any], int]:
    """(status, body, parsed JSON, attempts) of a request, retried on what may pass."""
    attempts = settings.retries + 1
    for attempt in range(1, attempts + 1):
        try:
            status, body = post_once(request, settings)
            return status, body, parse_answer(request, body), attempt
        except RetryableAnswer as exc:
            if attempt == attempts:
                raise fail(request.endpoint, f"no usable answer after {attempts} attempts (last: {exc.reason})") from None
            wait = exc.wait if exc.wait is not None else settings.backoff * 2 ** (attempt - 1)
            if wait > settings.max_wait:
                if exc.wait is not None:
                    raise fail(request.endpoint, f"{exc.reason}: the portal asks to wait {wait:g} s, more than the {settings.max_wait:g} s allowed; run again later (what is saved is kept)") from None
                wait = settings.max_wait
            say(f"{request.endpoint}: {exc.reason}; attempt {attempt + 1}/{attempts} in {wait:g} s")
            settings.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


REQUESTS_PER_CAPTURE = 2 + len(ENDPOINTS)
"""Requests of a complete capture: the provinces list, the province's units, the six endpoints."""


# --------------------------------------------------------------------------------------------
# the capture folder


def capture_folder(captures: Path, province: str, period: str, captured_on: str) -> Path:
    return Path(captures) / province.upper() / period / captured_on.replace("-", "")


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        raise fail(path, "the capture's manifest is not valid JSON: remove the capture folder and collect again") from None
    return manifest if isinstance(manifest, dict) else {}


def saved_responses(folder: Path, manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The manifest's responses whose file is in place with the recorded sha256."""
    kept: dict[str, dict[str, Any]] = {}
    for name, entry in (manifest.get("responses") or {}).items():
        path = folder / str(entry.get("file", ""))
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == entry.get("sha256"):
            kept[name] = entry
    return kept


def remove_temporaries(folder: Path) -> None:
    """Files of a run stopped half way (``.<name>.<random>``) that never got renamed into place."""
    for stale in folder.glob(".*.json.*"):
        stale.unlink(missing_ok=True)
    for stale in folder.glob(f".{MANIFEST}*"):
        stale.unlink(missing_ok=True)


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    write_bytes_atomic(json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"), folder / MANIFEST)


def new_manifest(province: str, period: str, captured_on: str, base_url: str) -> dict[str, Any]:
    return {"province": province, "period": period, "captured_on": captured_on, "source": SOURCE,
            "base_url": base_url, "responses": {}}


def manifest_entry(request: PortalRequest, base_url: str, file: str, status: int, body: bytes, attempts: int) -> dict[str, Any]:
    """What the manifest says of one saved response."""
    return {
        "file": file,
        "url": request.url(base_url),
        "method": "POST",
        "request_body": request.body,
        "captured_at": now_utc().isoformat(timespec="seconds"),
        "status": status,
        "bytes": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
        "attempts": attempts,
    }


def now_utc() -> datetime:
    return datetime.now(UTC)


def collect(
    province: str,
    period: str,
    *,
    captures: str | os.PathLike[str] | None = None,
    settings: Settings | None = None,
    today: datetime | None = None,
    say: Callable[[str], None] = print,
    progress: Callable[[str], None] | None = None,
) -> Capture:
    """Fetch (or resume) today's capture of ``province`` and ``period``; exit 2 problems as :class:`InputError`."""

    settings = settings or Settings()
    try:
        parsed = parse_period(period)
        time_fields(parsed)  # a date range is not a period the portal reports
    except ValueError as exc:
        raise fail("--period", str(exc)) from None
    started = today or now_utc()
    if parsed.start > started.date():
        raise fail("--period", f"{parsed.code} has not begun yet (today is {started.date().isoformat()})")
    province = province.strip().upper()
    folder = capture_folder(Path(captures or DEFAULT_CAPTURES), province, parsed.code, started.date().isoformat())
    folder.mkdir(parents=True, exist_ok=True)
    with RunLock(folder.parent / f".{folder.name}.lock", f"collect {province} {parsed.code}"):
        remove_temporaries(folder)
        manifest = read_manifest(folder) or new_manifest(province, parsed.code, started.date().isoformat(), settings.base_url)
        manifest["responses"] = saved_responses(folder, manifest)
        fetched: list[str] = []
        reused: list[str] = []
        attempts = 0

        def get(request: PortalRequest) -> dict[str, Any]:
            nonlocal attempts
            if request.name in manifest["responses"]:
                reused.append(request.name)
                payload = json.loads((folder / manifest["responses"][request.name]["file"]).read_bytes())
                check_answer(request, payload, province, parsed.code)
                if progress:
                    progress(f"{request.name} (saved)")
                return payload
            if attempts:
                settings.sleep(settings.delay)
            status, body, payload, tries = fetch(request, settings, say=say)
            attempts += tries
            check_answer(request, payload, province, parsed.code)
            file = f"{request.name}.json"
            write_bytes_atomic(body, folder / file)
            manifest["responses"][request.name] = manifest_entry(request, settings.base_url, file, status, body, tries)
            write_manifest(folder, manifest)
            fetched.append(request.name)
            if progress:
                progress(request.name)
            return payload

        provinces = get(province_lookup(parsed))
        root_id = root_department_id(provinces, province, parsed.code)
        for request in province_requests(parsed, root_id):
            get(request)
        if not manifest.get("complete"):
            manifest["complete"] = now_utc().isoformat(timespec="seconds")
            write_manifest(folder, manifest)
    return Capture(folder, province, parsed.code, started.date().isoformat(), tuple(fetched), tuple(reused), attempts)




def settings_from(args: Any) -> Settings:
    """The command line's settings (``None`` keeps a default)."""
    given = {
        "base_url": getattr(args, "base_url", None),
        "delay": getattr(args, "delay", None),
        "timeout": getattr(args, "timeout", None),
        "retries": getattr(args, "retries", None),
        "backoff": getattr(args, "backoff", None),
        "max_wait": getattr(args, "max_wait", None),
    }
    settings = Settings(**{k: v for k, v in given.items() if v is not None})
    if settings.delay < 0 or settings.backoff < 0 or settings.timeout <= 0 or settings.retries < 0 or settings.max_wait < 0:
        raise fail("collect", "--delay, --backoff, --max-wait and --retries must not be negative, --timeout must be positive")
    if not settings.base_url.startswith(("http://", "https://")):
        raise fail("--base-url", f"'{settings.base_url}' is not an http(s) address")
    return settings


def capture_facts(capture: Capture) -> pl.DataFrame:
    """The capture's facts (the same conversion as saved responses), ``as_of`` its capture day."""
    data = read_portal(capture.folder, period=capture.period)
    day = datetime.fromisoformat(capture.captured_on).date()
    return data.facts.with_columns(pl.lit(day).alias("as_of"))


def run(args: Any, *, stream: Any = None) -> tuple[Capture, pl.DataFrame]:
    """Collect as the command line asks, with progress; (capture, its facts)."""

    settings = settings_from(args)
    with Progress(REQUESTS_PER_CAPTURE, f"{args.province.strip().upper()} {args.period}", stream=stream, quiet=args.quiet) as bar:
        capture = collect(args.province, args.period, captures=args.captures, settings=settings, say=bar.note, progress=bar.step)
    return capture, capture_facts(capture)


def add_to_store(store: str | os.PathLike[str] | None, capture: Capture, facts: pl.DataFrame) -> history.AddResult:
    """The capture's facts as one vintage of the history store (its day, source ``portal``)."""

    day = datetime.fromisoformat(capture.captured_on).date()
    return history.add(Path(store or history.DEFAULT_STORE), facts, as_of=day, source=STORE_SOURCE)


def main(args: Any) -> int:
    """``collect``: 0 when the capture is complete (fetched now or earlier) and in the history store."""
    capture, facts = run(args)
    units = facts["unit_code"].n_unique()
    print(
        f"capture {capture.province} {capture.period} of {capture.captured_on}: {len(capture.fetched)} fetched, "
        f"{len(capture.reused)} already saved; {facts.height} facts for {units} units → {capture.folder}"
    )
    added = add_to_store(args.store, capture, facts)
    held = "added to" if added.added else "already in"
    print(f"history store: {capture.period} as of {capture.captured_on} ({STORE_SOURCE}) {held} {args.store or 'data/history'}")
    return 0
