"""JSON-stat 2.0 (SCB PxWebApi 2.0, PxWeb v1 json-stat2, SSB)."""

from .parse import Dataset, Dimension, Unit, parse, parse_obj, summarize

__all__ = ["Dataset", "Dimension", "Unit", "parse", "parse_obj", "summarize"]
