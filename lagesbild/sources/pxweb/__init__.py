"""SCB PxWebApi 2.0 client. Parse its JSON-stat output with :mod:`lagesbild.sources.jsonstat`."""

from .client import DEFAULT_BASE_URL, PxWebClient, PxWebConfig, PxWebError

__all__ = ["DEFAULT_BASE_URL", "PxWebClient", "PxWebConfig", "PxWebError"]
