"""A local SMTP server (aiosmtpd) that keeps every mail it accepts in a Maildir.

It is where the platform's mail goes in `make run` and in tests, so mail can be read and
counted. Addresses at `bounce.example` are refused as unknown mailboxes (550 5.1.1), and those
at `flaky.example` get a temporary refusal (451) the first time each is seen, so bounces and
retries can be shown end to end. Run: python -m snp_stack.mailsink PORT MAILDIR
"""

from __future__ import annotations

import mailbox
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import Any

from snp_stack import processes

BOUNCE_DOMAIN = "bounce.example"
FLAKY_DOMAIN = "flaky.example"
ENVELOPE_HEADER = "X-Envelope-To"


class MaildirSink:
    """aiosmtpd handler: RCPT decides refusals, DATA stores one copy per accepted recipient."""

    def __init__(self, maildir: Path) -> None:
        self._box = mailbox.Maildir(maildir, create=True)
        self._seen_flaky: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        domain = address.rpartition("@")[2].lower()
        if domain == BOUNCE_DOMAIN:
            return "550 5.1.1 No such mailbox here"
        if domain == FLAKY_DOMAIN and address.lower() not in self._seen_flaky:
            self._seen_flaky.add(address.lower())
            return "451 4.3.0 Busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or envelope.content
        for rcpt in envelope.rcpt_tos:
            self._box.add(f"{ENVELOPE_HEADER}: {rcpt}\r\n".encode() + content)
        return "250 Message accepted for delivery"


def read_mailbox(maildir: Path) -> list[mailbox.MaildirMessage]:
    """Every mail the sink kept (for tests and the benchmark)."""
    return list(mailbox.Maildir(maildir, create=False))


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start(port: int, maildir: Path, log: Path) -> processes.Component:
    """Start the sink on loopback and wait until it accepts connections."""
    cmd = [sys.executable, "-m", "snp_stack.mailsink", str(port), str(maildir)]
    proc = processes.spawn("mailsink", cmd, log)
    component = processes.Component(
        "mailsink", f"smtp://127.0.0.1:{port}", proc.pid, str(log), processes.start_time(proc.pid)
    )
    try:
        processes.wait_ready("mail sink", proc, lambda: listening(port), log, timeout=30)
    except Exception:
        processes.stop(component)
        raise
    return component


def main() -> None:
    from aiosmtpd.controller import Controller

    port, maildir = int(sys.argv[1]), Path(sys.argv[2])
    # Large enough for attachments at the messaging service's size limit.
    controller = Controller(
        MaildirSink(maildir), hostname="127.0.0.1", port=port, data_size_limit=64 * 2**20
    )
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    controller.start()
    print(f"mail sink on 127.0.0.1:{port}, keeping mail in {maildir}", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
