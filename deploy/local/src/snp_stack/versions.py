"""Pinned versions of everything the local stack fetches or builds (change them only here)."""

from __future__ import annotations

from dataclasses import dataclass

KAFKA_VERSION = "4.3.1"
KAFKA_ARTIFACT = f"org.apache.kafka:kafka_2.13:{KAFKA_VERSION}"
# The command-line tools (ProducerPerformance), fetched only when a benchmark needs them.
KAFKA_TOOLS_ARTIFACT = f"org.apache.kafka:kafka-tools:{KAFKA_VERSION}"
# Kafka ships no SLF4J binding; without one the broker logs nothing at all.
LOG4J_SLF4J_ARTIFACT = "org.apache.logging.log4j:log4j-slf4j-impl:2.25.2"
# Maven's default dependency plugin is too old for copy-dependencies with these options.
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
JAVA_MIN_MAJOR = 17


@dataclass(frozen=True)
class GoTool:
    """A Go program built from its module at a pinned version."""

    name: str
    module: str
    version: str

    @property
    def cache_name(self) -> str:
        return f"{self.name}-{self.version}"


OPA = GoTool("opa", "github.com/open-policy-agent/opa", "v1.22.2")
REGAL = GoTool("regal", "github.com/open-policy-agent/regal", "v0.42.0")
GO_TOOLS = {tool.name: tool for tool in (OPA, REGAL)}
