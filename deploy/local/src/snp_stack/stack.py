"""Orchestration: PostgreSQL and Kafka (+ topics) side by side, OPA, then the installed services.

DATABASE_URL, KAFKA_BOOTSTRAP and OPA_URL, when set, name existing servers to use instead of
starting that component. Everything started is recorded in `<state>/pids.json` as it starts, so
`snp-stack stop` can clean up even after a failed or killed start.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import signal
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from snp_stack import (
    kafka,
    mailsink,
    notify_stub,
    opa,
    postgres,
    processes,
    secrets,
    services,
)
from snp_stack.errors import StackError
from snp_stack.ports import Ports, port_in_use
from snp_stack.toolbox import ensure, require


def _spec(name: str) -> services.ServiceSpec:
    return next(spec for spec in services.SERVICES if spec.name == name)


def repo_root() -> Path:
    """The checkout: $SNP_REPO_ROOT, else the nearest folder up from here holding deploy/local."""
    if os.environ.get("SNP_REPO_ROOT"):
        return Path(os.environ["SNP_REPO_ROOT"])
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / "deploy" / "local" / "pyproject.toml").exists():
            return folder
    return Path(__file__).resolve().parents[4]  # deploy/local/src/snp_stack/stack.py


@dataclass
class Stack:
    """A running (or starting) stack; `start` it, then read its URLs; `stop` tears it down."""

    state_dir: Path
    ports: Ports
    durable: bool = True  # False for throwaway stacks: skip initdb's fsyncs
    with_services: bool = True
    seed_demo: bool = False  # `make run` seeds identity's demo tenant; tests start empty
    build_tools: bool = True  # False for tests: a missing tool is an error, never a build
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    components: list[processes.Component] = field(default_factory=list)
    database_url: str = ""
    kafka_bootstrap: str = ""
    opa_url: str = ""
    _recording: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def logs_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def maildir(self) -> Path:
        """Where the local mail sink keeps every mail the platform sent (a Maildir)."""
        return self.state_dir / "mail"

    @property
    def notify_dir(self) -> Path:
        """The local GOV.UK Notify's state: its API key and every notification it accepted."""
        return self.state_dir / "notify"

    @property
    def pid_file(self) -> Path:
        return self.state_dir / "pids.json"

    def service_database_url(self, service: str) -> str:
        """The URL of the service's own database on this stack's server."""
        return postgres.service_database_url(self.database_url, service)

    def component(self, name: str) -> processes.Component:
        """The named component (`postgres`, `kafka`, `opa`, `<service>-<role>`)."""
        for component in self.components:
            if component.name == name:
                return component
        raise KeyError(f"no component {name!r}; have {[c.name for c in self.components]}")

    def pid(self, name: str) -> int | None:
        """The component's pid (None when it is an external server)."""
        return self.component(name).pid

    def log_path(self, name: str) -> Path | None:
        """The component's log file (None when it is an external server)."""
        log = self.component(name).log
        return None if log is None else Path(log)

    def _record(self, component: processes.Component) -> None:
        """Keep the component (in place of an earlier one of its name, after a restart)."""
        with self._recording:  # PostgreSQL and Kafka start in threads side by side
            names = [c.name for c in self.components]
            if component.name in names:
                self.components[names.index(component.name)] = component
            else:
                self.components.append(component)
            processes.write_pid_file(self.pid_file, os.getpid(), self.components)

    def restart(self, name: str, sig: int = signal.SIGKILL) -> None:
        """A fault of the chaos run: stop one component with `sig` (SIGKILL; for PostgreSQL,
        SIGQUIT is `pg_ctl stop -m immediate` and SIGINT `-m fast`), then start it again as
        `start` did, on the same ports and state; returns once it is ready again."""
        old = self.component(name)
        if old.pid is None:
            raise StackError(f"{name} is an external server: the stack cannot restart it")
        processes.stop(dataclasses.replace(old, stop_signal=sig))
        if name == "postgres":
            self._start_postgres()
        elif name == "kafka":
            self._start_kafka()
        elif name == "opa":
            self._start_opa()
        else:
            service, _, role = name.partition("-")
            http, grpc = self.ports.services[service]
            env = self.service_env(service)
            self._record(services.start_role(_spec(service), role, env, http, grpc, self.logs_dir))

    def _free(self, port: int, what: str, variable: str) -> None:
        if port_in_use(port):
            raise StackError(
                f"port {port} ({what}) is already in use: is another stack running "
                f"(`make status`, `make stop`)? Or choose another port with {variable}=..."
            )

    def start(self) -> None:
        """Start every component in order; on any failure stop what started, then re-raise."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._prepare()
        try:
            self._start_postgres_and_kafka()
            self._start_opa()
            self._start_mailsink()
            self._start_notify()
            if self.with_services:
                self._start_services()
                if self.seed_demo:
                    services.seed_demo(self.service_env("identity"), self.state_dir)
        except BaseException:
            self.stop()
            raise
        env_file = "".join(f"export {k}={v}\n" for k, v in self.urls().items())
        (self.state_dir / "stack.env").write_text(env_file)

    def _prepare(self) -> None:
        """Fetch Kafka and build OPA (first run only) side by side, before anything starts;
        a stack that may not build tools only checks that they are there."""
        names = []
        if not self.env.get("KAFKA_BOOTSTRAP"):
            kafka.java()  # fail before anything starts, not after PostgreSQL is up
            names.append("kafka")
        if not self.env.get("OPA_URL"):
            names.append("opa")
        if self.with_services and services.installed(_spec("portal")):
            names.append("npm")  # GOV.UK Frontend, which the portal serves
        get = ensure if self.build_tools else require
        jobs = [functools.partial(get, name) for name in names]
        with ThreadPoolExecutor(max_workers=2) as pool:
            for future in [pool.submit(job) for job in jobs]:
                future.result()  # re-raises a failed fetch or build

    def urls(self) -> dict[str, str]:
        """The environment a client of this stack needs."""
        return {
            "DATABASE_URL": self.database_url,
            "KAFKA_BOOTSTRAP": self.kafka_bootstrap,
            "OPA_URL": self.opa_url,
        }

    def service_env(self, service: str) -> dict[str, str]:
        """What the service's processes get: their own database, Kafka, OPA, where identity
        publishes its signing keys, and the stack's development secrets."""
        identity_http = self.ports.services["identity"][0]
        if service == "portal":
            return self.portal_env()
        return {
            **self.urls(),
            "DATABASE_URL": self.service_database_url(service),
            "SNP_JWKS_URL": f"http://127.0.0.1:{identity_http}/identity/.well-known/jwks.json",
            # Where each service answers gRPC, e.g. SNP_IDENTITY_GRPC_TARGET=127.0.0.1:50051.
            **{
                f"SNP_{name.upper()}_GRPC_TARGET": f"127.0.0.1:{grpc}"
                for name, (_, grpc) in self.ports.services.items()
                if _spec(name).grpc_port
            },
            **self.smtp_env(),
            **self.tracing_env(),
            **(self.notify_env() | self.links_env() if service == "messaging" else {}),
            **secrets.for_service(self.state_dir, self.env, service),
        }

    def portal_env(self) -> dict[str, str]:
        """The portal gets its own database and where the other services answer REST (it calls
        them with the signed-in user's token); none of the platform's secrets, only the key
        that seals its sessions. Plain loopback
        HTTP, so its session cookie is not Secure (and so not `__Host-`, see docs/portal.md)."""
        from snp_stack import webtools

        return {
            "DATABASE_URL": self.service_database_url("portal"),
            **{
                f"SNP_{name.upper()}_BASE_URL": f"http://127.0.0.1:{http}"
                for name, (http, _) in self.ports.services.items()
                if name != "portal"
            },
            "SNP_ASSETS_DIR": str(webtools.npm_modules()),
            "SNP_COOKIE_SECURE": self.env.get("SNP_COOKIE_SECURE", "false"),
            "SNP_PORTAL_SESSION_KEYS": secrets.portal_session_keys(self.state_dir, self.env),
            **self.tracing_env(),
        }

    def tracing_env(self) -> dict[str, str]:
        """The OpenTelemetry variables of the stack's environment, for every process: tracing is
        off unless they name an OTLP endpoint (snp_platform.tracing)."""
        return {name: value for name, value in self.env.items() if name.startswith("OTEL_")}

    def links_env(self) -> dict[str, str]:
        """Where links in messaging's notifications point (attachments, forwarded documents,
        password resets): the portal, which signs the reader in and then downloads."""
        return {"SNP_PORTAL_BASE_URL": f"http://127.0.0.1:{self.ports.services['portal'][0]}"}

    def notify_env(self) -> dict[str, str]:
        """Messaging sends text messages through the local GOV.UK Notify (its official client
        against the stack's stand-in), which calls back with delivery receipts."""
        if self.env.get("SNP_NOTIFY_API_KEY"):
            return {}
        return {
            "SNP_SMS_PROVIDER": "notify",
            "SNP_NOTIFY_BASE_URL": f"http://127.0.0.1:{self.ports.notify}",
            "SNP_NOTIFY_API_KEY": notify_stub.stored_api_key(self.notify_dir),
            "SNP_NOTIFY_EMAIL_TEMPLATE_ID": notify_stub.EMAIL_TEMPLATE,
            "SNP_NOTIFY_SMS_TEMPLATE_ID": notify_stub.SMS_TEMPLATE,
            "SNP_NOTIFY_CALLBACK_TOKEN": notify_stub.stored_callback_token(self.notify_dir),
        }

    def smtp_env(self) -> dict[str, str]:
        """Where the platform's mail goes: SNP_SMTP_HOST/PORT from the environment, else the
        stack's own mail sink."""
        if self.env.get("SNP_SMTP_HOST"):
            return {
                "SNP_SMTP_HOST": self.env["SNP_SMTP_HOST"],
                "SNP_SMTP_PORT": self.env.get("SNP_SMTP_PORT", "25"),
            }
        # The sink keeps every mail, bounces that remote servers send back included: it is
        # also the bounce mailbox messaging's relay reads (docs/messaging.md, "Late bounces").
        return {
            "SNP_SMTP_HOST": "127.0.0.1",
            "SNP_SMTP_PORT": str(self.ports.smtp),
            "SNP_BOUNCE_MAILDIR": str(self.maildir),
            "SNP_BOUNCE_POLL_SECONDS": "5",
            "SNP_MAIL_REPLY_POLL_SECONDS": "2",
        }

    def _start_postgres_and_kafka(self) -> None:
        """Side by side: initdb and Kafka's JVM start take about as long as each other, and
        neither needs the other. Both run to their end (what started is recorded, for `stop`)
        before the first failure is raised."""
        with ThreadPoolExecutor(max_workers=2) as pool:
            started = [pool.submit(self._start_postgres), pool.submit(self._start_kafka)]
        for future in started:
            future.result()

    def _start_postgres(self) -> None:
        if self.env.get("DATABASE_URL"):
            self.database_url = self.env["DATABASE_URL"]
            self._record(processes.Component("postgres", "external (DATABASE_URL)"))
        else:
            self._free(self.ports.postgres, "PostgreSQL", "SNP_POSTGRES_PORT")
            log = self.logs_dir / "postgres.log"
            component, self.database_url = postgres.start(
                self.state_dir, self.ports.postgres, log, self.durable
            )
            self._record(component)
        postgres.ensure_databases(self.database_url, services.SERVICE_NAMES)

    def _start_kafka(self) -> None:
        if self.env.get("KAFKA_BOOTSTRAP"):
            self.kafka_bootstrap = self.env["KAFKA_BOOTSTRAP"]
            if not kafka.ready(kafka._quiet_admin(self.kafka_bootstrap)):
                raise StackError(f"Kafka at KAFKA_BOOTSTRAP={self.kafka_bootstrap} does not answer")
            self._record(processes.Component("kafka", f"{self.kafka_bootstrap} (external)"))
        else:
            self._free(self.ports.kafka, "Kafka", "SNP_KAFKA_PORT")
            self._free(self.ports.kafka_controller, "Kafka controller", "SNP_KAFKA_CONTROLLER_PORT")
            component, self.kafka_bootstrap = kafka.start(
                self.state_dir,
                self.ports.kafka,
                self.ports.kafka_controller,
                self.logs_dir / "kafka.log",
            )
            self._record(component)
        kafka.ensure_platform_topics(self.kafka_bootstrap)

    def _start_opa(self) -> None:
        if self.env.get("OPA_URL"):
            self.opa_url = self.env["OPA_URL"].rstrip("/")
            if not opa.healthy(self.opa_url):
                raise StackError(f"OPA at OPA_URL={self.opa_url} does not answer GET /health")
            self._record(processes.Component("opa", f"{self.opa_url} (external)"))
            return
        self._free(self.ports.opa, "OPA", "SNP_OPA_PORT")
        policies = repo_root() / "policies"
        config = None
        audit = next(spec for spec in services.SERVICES if spec.name == "audit")
        if self.with_services and services.installed(audit):
            audit_url = f"http://127.0.0.1:{self.ports.services['audit'][0]}"
            token = secrets.decision_log_token(self.state_dir, self.env)
            config = opa.write_config(
                self.state_dir / "opa-config.json", opa.decision_log_config(audit_url, token)
            )
        log = self.logs_dir / "opa.log"
        component, self.opa_url = opa.start(self.ports.opa, policies, log, config)
        self._record(component)

    def _start_mailsink(self) -> None:
        if self.env.get("SNP_SMTP_HOST"):
            self._record(processes.Component("mailsink", "external (SNP_SMTP_HOST)"))
            return
        self._free(self.ports.smtp, "mail sink (SMTP)", "SNP_SMTP_PORT")
        log = self.logs_dir / "mailsink.log"
        self._record(mailsink.start(self.ports.smtp, self.maildir, log))

    def _start_notify(self) -> None:
        if self.env.get("SNP_NOTIFY_API_KEY"):
            self._record(processes.Component("notify", "external (SNP_NOTIFY_API_KEY)"))
            return
        self._free(self.ports.notify, "local GOV.UK Notify", "SNP_NOTIFY_PORT")
        messaging_http = self.ports.services["messaging"][0]
        callback = f"http://127.0.0.1:{messaging_http}/messaging/providers/notify/receipts"
        log = self.logs_dir / "notify.log"
        self._record(notify_stub.start(self.ports.notify, self.notify_dir, callback, log))

    def _start_services(self) -> None:
        for spec in services.SERVICES:
            if not services.installed(spec):
                continue
            http, grpc = self.ports.services[spec.name]
            self._free(http, f"{spec.name} REST", f"SNP_{spec.name.upper()}_HTTP_PORT")
            if spec.grpc_port:
                self._free(grpc, f"{spec.name} gRPC", f"SNP_{spec.name.upper()}_GRPC_PORT")
            env = self.service_env(spec.name)
            for component in services.start(spec, env, http, grpc, self.logs_dir):
                self._record(component)

    def dead_component(self) -> processes.Component | None:
        """The first component we started that has exited (None while all are running)."""
        return next((c for c in self.components if c.pid and not processes.alive(c)), None)

    def stop(self) -> None:
        """Stop the services' processes side by side (none needs another to stop, and each may
        take seconds to), then the rest in reverse order (process groups, SIGKILL for
        stragglers): the servers the services used stay up until every service has stopped."""
        ours = [c for c in self.components if c.name.partition("-")[0] in services.SERVICE_NAMES]
        with ThreadPoolExecutor(max_workers=max(len(ours), 1)) as pool:
            list(pool.map(processes.stop, ours))
        for component in reversed(self.components):
            if component not in ours:
                processes.stop(component)
        self.components.clear()
        self.pid_file.unlink(missing_ok=True)
