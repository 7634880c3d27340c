"""Drive Debian's headless Chromium over the DevTools protocol, with no Python dependency.

Chromium is started with ``--remote-debugging-pipe``: it reads DevTools commands (JSON, NUL-terminated) on file
descriptor 3 and writes replies and events on descriptor 4. :class:`Browser` opens a page, collects console
errors, uncaught exceptions and every network request, evaluates JavaScript and takes screenshots.

Run as a script to take a screenshot: ``python tests/browser.py out/map.html docs/map.png [1400x900]``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["Browser", "chromium_path"]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--force-gpu-mem-available-mb=2048",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]


def chromium_path() -> str | None:
    """Path of the Chromium executable (``$CHROMIUM``, ``chromium`` on PATH, ``/usr/bin/chromium``) or None."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


class BrowserError(RuntimeError):
    """Chromium failed to start, answered with an error, or did not answer in time."""


class Browser:
    """One headless Chromium with one page.

    Parameters
    ----------
    width, height
        Window size in CSS pixels.
    timeout
        Seconds to wait for any one answer.
    """

    def __init__(self, *, width: int = 1400, height: int = 900, timeout: float = 30.0) -> None:
        exe = chromium_path()
        if exe is None:
            msg = "chromium not found"
            raise BrowserError(msg)
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="rk-chromium-")
        cmd_r, self._cmd_w = os.pipe()
        self._res_r, res_w = os.pipe()

        def wire() -> None:  # in the child: commands on fd 3, replies on fd 4 (dup2 makes them inheritable)
            a, b = os.dup(cmd_r), os.dup(res_w)  # in case the pipe ends are 3 or 4 themselves
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [
                exe,
                *FLAGS,
                f"--user-data-dir={self._profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            close_fds=False,  # every other descriptor of ours is close-on-exec
        )
        os.close(cmd_r)
        os.close(res_w)
        self._next = 0
        self._replies: dict[int, dict] = {}
        self.events: list[dict] = []
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=True)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=True,
        )

    # -- protocol ---------------------------------------------------------------------------------
    def _read(self) -> None:
        buf = b""
        with os.fdopen(self._res_r, "rb", buffering=0) as pipe:
            while True:
                chunk = pipe.read(65536)
                if not chunk:
                    break
                buf += chunk
                while b"\0" in buf:
                    raw, buf = buf.split(b"\0", 1)
                    msg = json.loads(raw)
                    with self._cond:
                        if "id" in msg:
                            self._replies[msg["id"]] = msg
                        else:
                            self.events.append(msg)
                        self._cond.notify_all()

    def send(self, method: str, params: dict | None = None, *, session: bool = False) -> dict:
        """Send one DevTools command and return its result."""
        self._next += 1
        ident = self._next
        msg = {"id": ident, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        with self._cond:
            while ident not in self._replies:
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    msg = f"no answer to {method}"
                    raise BrowserError(msg)
                self._cond.wait(left)
            reply = self._replies.pop(ident)
        if "error" in reply:
            msg = f"{method}: {reply['error']}"
            raise BrowserError(msg)
        return reply.get("result", {})

    def wait_event(self, method: str, *, since: int = 0) -> dict:
        """Wait for an event ``method`` among the events from index ``since`` on."""
        deadline = time.monotonic() + self.timeout
        with self._cond:
            while True:
                for ev in self.events[since:]:
                    if ev.get("method") == method:
                        return ev
                left = deadline - time.monotonic()
                if left <= 0:
                    msg = f"no {method} event"
                    raise BrowserError(msg)
                self._cond.wait(left)

    # -- page ---------------------------------------------------------------------------------------
    def open(self, url: str) -> float:
        """Navigate to ``url`` and wait for the load event; returns seconds from navigation to load."""
        since = len(self.events)
        start = time.perf_counter()
        self.send("Page.navigate", {"url": url}, session=True)
        self.wait_event("Page.loadEventFired", since=since)
        return time.perf_counter() - start

    def eval(self, expression: str) -> object:
        """Evaluate JavaScript in the page and return its (JSON) value."""
        res = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=True,
        )
        if "exceptionDetails" in res:
            msg = f"JavaScript error: {res['exceptionDetails'].get('text')}"
            raise BrowserError(msg)
        return res["result"].get("value")

    def screenshot(self, path: str | Path | None = None) -> bytes:
        """A PNG of the viewport (written to ``path`` when given)."""
        data = base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"}, session=True)["data"])
        if path is not None:
            Path(path).write_bytes(data)
        return data

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and failed loads seen so far."""
        out = []
        for ev in self.events:
            method, p = ev.get("method"), ev.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:500])
            elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append("console: " + json.dumps(p.get("args", []))[:500])
            elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append("log: " + p["entry"].get("text", "")[:500])
            elif method == "Network.loadingFailed":
                out.append("network: " + p.get("errorText", ""))
        return out

    def requests(self) -> list[str]:
        """URLs of every request the page made."""
        return [
            ev["params"]["request"]["url"]
            for ev in self.events
            if ev.get("method") == "Network.requestWillBeSent"
        ]

    def close(self) -> None:
        """Close Chromium and remove its profile."""
        try:
            if self.proc.poll() is None:
                with contextlib.suppress(BrowserError):
                    self.send("Browser.close")
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        finally:
            os.close(self._cmd_w)
            shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def settle(browser: Browser, timeout: float = 8.0) -> None:
    """Wait until the opening fitBounds animation is over and the markers are fanned out (they stop moving)."""
    js = (
        '(window.rkFanRuns ? "" : "waiting") + [...document.querySelectorAll(".leaflet-marker-icon")]'
        ".map(m => m.style.transform + m.style.marginLeft + m.style.marginTop).join()"
        ' + (document.querySelector(".leaflet-zoom-anim") ? "animating" : "") + (window.rkFanRuns || 0)'
    )
    deadline, last, same = time.monotonic() + timeout, None, 0
    while time.monotonic() < deadline:
        now = browser.eval(js)
        same = same + 1 if now == last and not now.startswith("waiting") and "animating" not in now else 0
        if same >= 2:  # unchanged over 0.4 s
            return
        last = now
        time.sleep(0.2)


def main(argv: list[str]) -> int:
    """``python tests/browser.py PAGE.html OUT.png [WIDTHxHEIGHT]``: screenshot a page once it has loaded."""
    page, out = Path(argv[0]).resolve(), Path(argv[1])
    width, height = (int(v) for v in (argv[2] if len(argv) > 2 else "1400x900").split("x"))
    with Browser(width=width, height=height) as b:
        b.open(page.as_uri())
        time.sleep(0.3)
        b.screenshot(out)
        for err in b.errors():
            print(err, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
