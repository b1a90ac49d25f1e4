"""teamprotocol: team protocols for safe public service, from Word forms to PDF/A."""

__version__ = "0.4.0"
