"""Fakeweb stand-ins for the archives' submission endpoints.

`FakeWayback` plays web.archive.org: anonymous Save Page Now (GET /save/<url>), SPN2
(POST /save with `Authorization: LOW access:secret`, job status at /save/status/<id>),
and the CDX server in its default space-separated format (urlkey timestamp original
mimetype statuscode digest length), the format the recorded CDX answers in
../shared/real/wayback/ have. `FakeArchiveToday` plays archive.ph: the front page with
its `submitid` form, /submit/, and a Memento TimeMap.

Both keep what they captured, so tests can check what a client claims against what the
archive really holds, and both can misbehave the way the real services do.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote

from tests.fakeweb.server import FakeRequest, FakeWeb, Response

WAYBACK = "web.archive.org"
ARCHIVE_TODAY = "archive.ph"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class _Job:
    url: str
    polls: int = 0
    captured: bool = False


@dataclass
class FakeWayback:
    """web.archive.org's Save Page Now and CDX.

    keys: the (access, secret) pair SPN2 accepts; None accepts none.
    pending_polls: status answers of "pending" before the job ends.
    job_error: the status_ext a job ends with instead of success.
    captured_anyway: with job_error, the capture still happens (SPN's false failures).
    never_finishes: the job reads "pending" forever (the status expired), capture made.
    submit_error: (status_ext, message) answered to the submission itself, HTTP 200.
    busy: this many submissions are answered 429 first, with Retry-After `retry_after`.
    save_delay: seconds before the submission is answered (a slow endpoint).
    anonymous_job: anonymous saves answer with a job to watch instead of a memento.
    indexed: False keeps captures out of CDX answers (the index lags behind).
    """

    keys: tuple[str, str] | None = None
    pending_polls: int = 1
    job_error: str | None = None
    captured_anyway: bool = False
    never_finishes: bool = False
    submit_error: tuple[str, str] | None = None
    busy: int = 0
    retry_after: str | None = "1"
    save_delay: float = 0.0
    anonymous_job: bool = False
    indexed: bool = True
    captures: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    jobs: dict[str, _Job] = field(default_factory=dict)
    active: int = 0
    max_active: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self, web: FakeWeb) -> FakeWayback:
        web.add(WAYBACK, self.handle)
        return self

    # -- archive state -------------------------------------------------------------------

    def capture(self, url: str, at: datetime | None = None, status: int = 200) -> str:
        stamp = (at or _now()).strftime("%Y%m%d%H%M%S")
        with self._lock:
            self.captures.setdefault(url, []).append((stamp, status))
        return stamp

    def new_job(self, url: str) -> str:
        with self._lock:
            job_id = f"spn2-{len(self.jobs) + 1:040x}"
            job = _Job(url)
            self.jobs[job_id] = job
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        # the crawler captures whatever our client does next, unless the job fails
        if self.job_error is None or self.captured_anyway or self.never_finishes:
            self.capture(url)
            job.captured = True
        return job_id

    # -- serving -------------------------------------------------------------------------

    def handle(self, request: FakeRequest) -> Response:
        path = request.path
        if path == "/cdx/search/cdx":
            return self._cdx(request)
        if path.startswith("/save/status/"):
            return self._status(request, path.removeprefix("/save/status/"))
        if path in ("/save", "/save/") and request.method == "POST":
            return self._submit_keyed(request)
        if path.startswith("/save/"):
            return self._submit_anonymous(request)
        return Response(404, "not in the fake archive", content_type="text/plain")

    def _throttled(self) -> Response | None:
        with self._lock:
            if self.busy <= 0:
                return None
            self.busy -= 1
        headers = {"Retry-After": self.retry_after} if self.retry_after else {}
        return Response(
            429,
            "<html><body>Too Many Requests</body></html>",
            headers,
            delay=self.save_delay,
        )

    def _submit_keyed(self, request: FakeRequest) -> Response:
        throttled = self._throttled()
        if throttled is not None:
            return throttled
        expected = f"LOW {self.keys[0]}:{self.keys[1]}" if self.keys else None
        if expected is None or request.headers.get("authorization") != expected:
            return _json(401, {"message": "You need to be logged in to use Save Page Now."})
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        url = form.get("url", "")
        if self.submit_error is not None:
            code, message = self.submit_error
            return _json(200, {"status": "error", "status_ext": code, "message": message})
        job_id = self.new_job(url)
        return _json(200, {"url": url, "job_id": job_id}, delay=self.save_delay)

    def _submit_anonymous(self, request: FakeRequest) -> Response:
        throttled = self._throttled()
        if throttled is not None:
            return throttled
        url = unquote(request.target.removeprefix("/save/"))
        job_id = self.new_job(url)
        if self.anonymous_job:
            page = (
                "<html><body><script>"
                f'spn.watchJob("{job_id}", "/_static/",6000);'
                "</script></body></html>"
            )
            return Response(200, page, delay=self.save_delay)
        job = self.jobs[job_id]
        with self._lock:
            self.active -= 1
        if not job.captured:
            return Response(523, "<html><body>Job failed</body></html>", delay=self.save_delay)
        stamp = self.captures[url][-1][0]
        return Response(
            200,
            "<html><body>saved</body></html>",
            {"Content-Location": f"/web/{stamp}/{url}"},
            delay=self.save_delay,
        )

    def _status(self, request: FakeRequest, job_id: str) -> Response:
        job = self.jobs.get(job_id)
        if job is None or self.never_finishes:
            # an unknown or expired job reads "pending", as the real one does after an hour
            return _json(200, {"status": "pending", "job_id": job_id, "resources": []})
        job.polls += 1
        if job.polls <= self.pending_polls:
            return _json(200, {"status": "pending", "job_id": job_id, "resources": []})
        with self._lock:
            if job.polls == self.pending_polls + 1:
                self.active -= 1
        if self.job_error is not None:
            return _json(
                200,
                {
                    "status": "error",
                    "status_ext": self.job_error,
                    "job_id": job_id,
                    "message": f"The capture failed: {self.job_error}",
                },
            )
        stamp = self.captures[job.url][-1][0]
        return _json(
            200,
            {
                "status": "success",
                "job_id": job_id,
                "original_url": job.url,
                "timestamp": stamp,
                "duration_sec": 1.5,
            },
        )

    def _cdx(self, request: FakeRequest) -> Response:
        url = request.arg("url") or ""
        since = request.arg("from") or ""
        lines = []
        known = self.captures.get(url, []) if self.indexed else []
        for stamp, status in sorted(known):
            if since and stamp < since.ljust(14, "0"):
                continue
            key = url.split("://", 1)[-1]
            lines.append(f"{key} {stamp} {url} text/html {status} FAKEDIGEST 1234")
        return Response(200, "".join(line + "\n" for line in lines), content_type="text/plain")


@dataclass
class FakeArchiveToday:
    """archive.ph: a front page with a one-time submitid, /submit/ and a TimeMap.

    front: "form" | "captcha" (status 200) | "blocked" (429)
    submit: "redirect" (302 to /wip/<id>) | "refresh" (200 with Refresh) | "captcha"
            (captcha page with status 200) | "already" (a recent capture listed) | "blocked"
    """

    front: str = "form"
    submit: str = "redirect"
    submit_delay: float = 0.0
    issued: list[str] = field(default_factory=list)
    posted: list[dict[str, str]] = field(default_factory=list)
    captures: dict[str, list[tuple[datetime, str]]] = field(default_factory=dict)

    def install(self, web: FakeWeb) -> FakeArchiveToday:
        web.add(ARCHIVE_TODAY, self.handle)
        return self

    def handle(self, request: FakeRequest) -> Response:
        if request.path == "/":
            return self._front()
        if request.path == "/submit/" and request.method == "POST":
            return self._submit(request)
        if request.path.startswith("/timemap/"):
            return self._timemap(unquote(request.target.removeprefix("/timemap/")))
        return Response(404, "<html>not found</html>")

    def _front(self) -> Response:
        if self.front == "captcha":
            return Response(200, _CAPTCHA_PAGE)
        if self.front == "blocked":
            return Response(429, "<html><body>Too many requests</body></html>")
        submitid = f"sid{len(self.issued) + 1:06d}"
        self.issued.append(submitid)
        return Response(
            200,
            '<html><body><form id="submiturl" action="/submit/" method="POST">'
            '<input type="text" name="url" id="url">'
            f'<input type="hidden" name="submitid" value="{submitid}">'
            '<input type="submit" value="save"></form></body></html>',
        )

    def _submit(self, request: FakeRequest) -> Response:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        self.posted.append(form)
        if form.get("submitid") not in self.issued:
            return Response(400, "<html>bad submitid</html>")
        if self.submit == "captcha":
            return Response(200, _CAPTCHA_PAGE, delay=self.submit_delay)
        if self.submit == "blocked":
            return Response(403, "<html><body>Forbidden</body></html>", delay=self.submit_delay)
        url = form.get("url", "")
        memento_id = f"Ab{len(self.posted):03d}"
        self.captures.setdefault(url, []).append((_now(), memento_id))
        if self.submit == "refresh":
            return Response(
                200,
                "<html><body>loading</body></html>",
                {"Refresh": f"0;url=https://{ARCHIVE_TODAY}/{memento_id}"},
                delay=self.submit_delay,
            )
        if self.submit == "already":
            page = (
                '<html><body><div id="DIVALREADY">This page was last archived '
                f'<a href="https://{ARCHIVE_TODAY}/{memento_id}">1 hour ago</a></div>'
                '<form action="/submit/"><input name="anyway" value="1"></form></body></html>'
            )
            return Response(200, page, delay=self.submit_delay)
        return Response(
            302,
            b"",
            {"Location": f"https://{ARCHIVE_TODAY}/wip/{memento_id}"},
            content_type=None,
            delay=self.submit_delay,
        )

    def _timemap(self, url: str) -> Response:
        entries = [f'<{url}>; rel="original"']
        for at, memento_id in self.captures.get(url, []):
            stamp = at.strftime("%a, %d %b %Y %H:%M:%S GMT")
            entries.append(
                f'<https://{ARCHIVE_TODAY}/{memento_id}>; rel="memento"; datetime="{stamp}"'
            )
        return Response(200, ",\n".join(entries), content_type="application/link-format")


_CAPTCHA_PAGE = (
    "<html><head><title>archive.ph</title></head><body>"
    '<form id="challenge-form" action="/submit/" method="POST">'
    '<div class="h-captcha" data-sitekey="00000000-0000-0000-0000-000000000000"></div>'
    "</form></body></html>"
)


def _json(status: int, value: object, delay: float = 0.0) -> Response:
    return Response(status, json.dumps(value), content_type="application/json", delay=delay)
