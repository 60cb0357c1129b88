"""The suggestion engine: who makes the claim in each sentence, and why we think so.

Pure text logic: no database, no web. ``suggest(text, registry)`` returns one Suggestion
per sentence of ``segment(text)``.
"""

from app.suggest.analysis import SentenceAnalysis, analyse, reading
from app.suggest.engine import Suggestion, suggest
from app.suggest.registry import Registry

__all__ = ["Registry", "SentenceAnalysis", "Suggestion", "analyse", "reading", "suggest"]
