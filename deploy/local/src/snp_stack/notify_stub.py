"""A local GOV.UK Notify: the documented v2 API for sending email and text messages.

It checks what Notify checks: a JWT (HS256, signed with the API key's secret) whose `iss` is
the service id and whose `iat` is within 30 seconds; a known template; every placeholder
personalised; a plausible email address or UK mobile number. It answers in Notify's shapes
(201 with id, reference, content, uri, template; errors as {"errors": [...], "status_code"}).
Notify's simulated recipients behave as documented for testing: `perm-fail@simulator.notify`
and 07700900003 are accepted and then reported as permanent failures, by a delivery-receipt
callback (POST with the callback bearer token) when a callback URL is configured. Each
accepted notification is appended to a JSON-lines file, for tests to read.

Run: python -m snp_stack.notify_stub PORT STATE_DIR API_KEY CALLBACK_URL CALLBACK_TOKEN
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt

from snp_stack import processes

EMAIL_TEMPLATE = "5f6a1b0e-6c1d-4c5e-9a7b-0e9d2f3a4b01"
SMS_TEMPLATE = "5f6a1b0e-6c1d-4c5e-9a7b-0e9d2f3a4b02"
TEMPLATES = {
    EMAIL_TEMPLATE: ("email", "((subject))", "((body))"),
    SMS_TEMPLATE: ("sms", "", "((body))"),
}
PERMANENT_FAILURES = {"perm-fail@simulator.notify", "07700900003", "+447700900003"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_UK_MOBILE = re.compile(r"(\+447|07|00447)\d{9}")
_PLACEHOLDER = re.compile(r"\(\(([^)]+)\)\)")


def split_api_key(api_key: str) -> tuple[str, str]:
    """(service id, secret): a Notify key ends with the service id and the secret, two UUIDs."""
    return api_key[-73:-37], api_key[-36:]


def make_api_key(name: str = "snp_local") -> str:
    return f"{name}-{uuid.uuid4()}-{uuid.uuid4()}"


class NotifyStub:
    def __init__(
        self, api_key: str, record: Path, callback_url: str = "", callback_token: str = ""
    ):
        self.service_id, self.secret = split_api_key(api_key)
        self.record, self.callback_url, self.callback_token = record, callback_url, callback_token
        self.lock = threading.Lock()

    def authorise(self, header: str) -> str | None:
        """None when the token is good, else Notify's AuthError message."""
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer" or not token:
            return "Unauthorized: authentication token must be provided"
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=["HS256"],
                options={"require": ["iss", "iat"], "verify_iat": False},
            )
        except jwt.InvalidTokenError:
            return "Invalid token: signature, api token not found"
        if claims["iss"] != self.service_id:
            return "Invalid token: service not found"
        if abs(time.time() - float(claims["iat"])) > 30:
            return "Error: Your system clock must be accurate to within 30 seconds"
        return None

    def send(self, kind: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        template = TEMPLATES.get(str(body.get("template_id", "")))
        if template is None or template[0] != kind:
            return _error(400, "BadRequestError", "Template not found")
        to_field = "email_address" if kind == "email" else "phone_number"
        to = str(body.get(to_field, ""))
        valid = (
            _EMAIL.fullmatch(to) if kind == "email" else _UK_MOBILE.fullmatch(to.replace(" ", ""))
        )
        if not valid:
            what = "Not a valid email address" if kind == "email" else "Not a UK mobile number"
            return _error(400, "ValidationError", f"{to_field} {what}")
        values = body.get("personalisation") or {}
        _, subject, text = template
        missing = sorted({p for p in _PLACEHOLDER.findall(subject + text) if p not in values})
        if missing:
            return _error(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}")

        def fill(text: str) -> str:
            return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)

        notification_id = str(uuid.uuid4())
        content: dict[str, Any] = {"body": fill(text)}
        if kind == "email":
            content |= {"subject": fill(subject), "from_email": "alerts@notify.local"}
        else:
            content["from_number"] = "SNP"
        reference = body.get("reference")
        with self.lock, self.record.open("a") as out:
            out.write(
                json.dumps(
                    {
                        "id": notification_id,
                        "type": kind,
                        "to": to,
                        "reference": reference,
                        "content": content,
                    }
                )
                + "\n"
            )
        if to in PERMANENT_FAILURES and self.callback_url:
            threading.Thread(
                target=self._receipt, args=(notification_id, reference, to, kind), daemon=True
            ).start()
        return 201, {
            "id": notification_id,
            "reference": reference,
            "content": content,
            "uri": f"http://notify.local/v2/notifications/{notification_id}",
            "template": {
                "id": body["template_id"],
                "version": 1,
                "uri": f"http://notify.local/v2/template/{body['template_id']}",
            },
        }

    def _receipt(self, notification_id: str, reference: str | None, to: str, kind: str) -> None:
        time.sleep(0.2)  # after the sender has had its 201
        receipt = {
            "id": notification_id,
            "reference": reference,
            "to": to,
            "status": "permanent-failure",
            "notification_type": kind,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
        }
        for _ in range(20):  # the sender may still be recording its send
            try:
                answer = httpx.post(
                    self.callback_url,
                    json=receipt,
                    timeout=5,
                    headers={"Authorization": f"Bearer {self.callback_token}"},
                )
                if answer.status_code < 300:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)


def _error(status: int, error: str, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"errors": [{"error": error, "message": message}], "status_code": status}


def serve(stub: NotifyStub, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            kind = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms"}.get(
                self.path
            )
            if kind is None:
                return self._answer(*_error(404, "BadRequestError", "Not found"))
            problem = stub.authorise(self.headers.get("Authorization", ""))
            if problem is not None:
                return self._answer(*_error(403, "AuthError", problem))
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            except ValueError:
                return self._answer(*_error(400, "BadRequestError", "Invalid JSON"))
            self._answer(*stub.send(kind, body if isinstance(body, dict) else {}))

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


def _stored(path: Path, make: Callable[[], str]) -> str:
    """A value made once per state folder (mode 0600), so a restart keeps the same one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(make())
    return path.read_text().strip()


def stored_api_key(state: Path) -> str:
    return _stored(state / "api_key", make_api_key)


def stored_callback_token(state: Path) -> str:
    return _stored(state / "callback_token", lambda: secrets.token_urlsafe(32))


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start(port: int, state: Path, callback_url: str, log: Path) -> processes.Component:
    """Start the local Notify on loopback and wait until it accepts connections."""
    cmd = [
        sys.executable,
        "-m",
        "snp_stack.notify_stub",
        str(port),
        str(state),
        stored_api_key(state),
        callback_url,
        stored_callback_token(state),
    ]
    proc = processes.spawn("notify", cmd, log)
    component = processes.Component(
        "notify", f"http://127.0.0.1:{port}", proc.pid, str(log), processes.start_time(proc.pid)
    )
    try:
        processes.wait_ready("local Notify", proc, lambda: _listening(port), log, timeout=30)
    except Exception:
        processes.stop(component)
        raise
    return component


def read_notifications(state: Path) -> list[dict[str, Any]]:
    """Every notification the local Notify accepted, oldest first."""
    record = state / "notifications.jsonl"
    if not record.exists():
        return []
    return [json.loads(line) for line in record.read_text().splitlines() if line.strip()]


def main() -> None:
    port, state, api_key = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    callback_url, callback_token = (sys.argv[4], sys.argv[5]) if len(sys.argv) > 5 else ("", "")
    state.mkdir(parents=True, exist_ok=True)
    stub = NotifyStub(api_key, state / "notifications.jsonl", callback_url, callback_token)
    print(f"local GOV.UK Notify on 127.0.0.1:{port}", flush=True)
    serve(stub, port).serve_forever()


if __name__ == "__main__":
    main()
