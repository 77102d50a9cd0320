"""Headless Chromium driven over the DevTools protocol (``--remote-debugging-pipe``), standard library only.

:class:`Browser` opens pages with networking disabled and reports, per page, what
a tester needs to know: console messages and exceptions, log entries, every
request the page made, and the result of JavaScript evaluated in it.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

EXECUTABLE = shutil.which("chromium") or shutil.which("chromium-browser") or ""
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         # No network: every host name fails to resolve, and everything else goes to a closed proxy port.
         "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]


class ProtocolError(RuntimeError):
    pass


@dataclass
class PageReport:
    url: str
    console: list[str] = field(default_factory=list)      # console messages of type error/warning/assert
    exceptions: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)          # browser log entries of level error/warning
    requests: list[str] = field(default_factory=list)     # every URL the page asked for


class Browser:
    def __init__(self, profile: Path, executable: str = EXECUTABLE):
        to_child, self._w = os.pipe()
        self._r, from_child = os.pipe()

        def fds():   # in the child: read commands on fd 3, write answers on fd 4 (the only fds it inherits)
            a = fcntl.fcntl(to_child, fcntl.F_DUPFD_CLOEXEC, 10)
            b = fcntl.fcntl(from_child, fcntl.F_DUPFD_CLOEXEC, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen([executable, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe",
                                      "about:blank"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=fds, close_fds=False)
        os.close(to_child)
        os.close(from_child)
        self._next = 0
        self._answers: dict[int, queue.Queue] = {}
        self._events: dict[str, list[dict]] = {}
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    # --- protocol ---------------------------------------------------------------------
    def _read(self) -> None:
        buf = b""
        while True:
            chunk = os.read(self._r, 1 << 16)
            if not chunk:
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                with self._lock:
                    if "id" in msg:
                        self._answers.setdefault(msg["id"], queue.Queue()).put(msg)
                    else:
                        self._events.setdefault(msg.get("sessionId", ""), []).append(msg)

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout=60.0) -> dict:
        with self._lock:
            self._next += 1
            ident = self._next
            box = self._answers.setdefault(ident, queue.Queue())
        msg = {"id": ident, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        answer = box.get(timeout=timeout)
        if "error" in answer:
            raise ProtocolError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def events(self, session: str) -> list[dict]:
        with self._lock:
            return list(self._events.get(session, []))

    def wait_for(self, session: str, method: str, timeout=60.0) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for e in self.events(session):
                if e["method"] == method:
                    return e
            time.sleep(0.02)
        raise TimeoutError(method)

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except Exception:   # noqa: BLE001 - the browser may already be gone
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)

    # --- pages ------------------------------------------------------------------------
    def open(self, url: str, width: int = 1000, height: int = 1400) -> tuple[str, str]:
        """Load ``url`` in a new tab; returns (target id, session id) once it and its fonts have loaded."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network", "DOM", "CSS"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                         "deviceScaleFactor": 1, "mobile": False}, session)
        self.send("Page.navigate", {"url": url}, session)
        self.wait_for(session, "Page.loadEventFired")
        self.evaluate(session, "document.fonts.ready.then(() => true)")
        return target, session

    def evaluate(self, session: str, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True}, session, timeout=120)
        if "exceptionDetails" in result:
            raise ProtocolError(json.dumps(result["exceptionDetails"])[:2000])
        return result["result"].get("value")

    def report(self, session: str, url: str) -> PageReport:
        """What the page said and asked for so far."""
        rep = PageReport(url)
        for e in self.events(session):
            p = e.get("params", {})
            if e["method"] == "Runtime.consoleAPICalled" and p["type"] in ("error", "warning", "assert"):
                rep.console.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p["args"]))
            elif e["method"] == "Runtime.exceptionThrown":
                rep.exceptions.append(json.dumps(p["exceptionDetails"])[:500])
            elif e["method"] == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
                rep.log.append(f"{p['entry']['source']}: {p['entry']['text']}")
            elif e["method"] == "Network.requestWillBeSent":
                rep.requests.append(p["request"]["url"])
        return rep

    def platform_fonts(self, session: str) -> list[dict]:
        """The fonts that drew the text of every element of the body (CSS.getPlatformFontsForNode)."""
        root = self.send("DOM.getDocument", {"depth": -1}, session)["root"]["nodeId"]
        nodes = self.send("DOM.querySelectorAll", {"nodeId": root, "selector": "body *"}, session)["nodeIds"]
        found = []
        for node in nodes:
            found += self.send("CSS.getPlatformFontsForNode", {"nodeId": node}, session)["fonts"]
        return found

    def screenshot(self, session: str) -> bytes:
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session)
        return base64.b64decode(data["data"])

    def print_pdf(self, session: str) -> bytes:
        """The page as the print stylesheet lays it out (the page size from its @page rule)."""
        data = self.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}, session)
        return base64.b64decode(data["data"])

    def close_page(self, target: str) -> None:
        self.send("Target.closeTarget", {"targetId": target})
