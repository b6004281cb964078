"""Pure rules engine: finds sentences where two named parties relate, with graded evidence."""

from __future__ import annotations

from .engine import Matcher
from .loader import TopicConfigError, load_topic, load_topics
from .model import Document, Evidence, Verdict
from .query import QueryTopic
from .topic import Topic

__all__ = [
    "Document",
    "Evidence",
    "Matcher",
    "QueryTopic",
    "Topic",
    "TopicConfigError",
    "Verdict",
    "load_topic",
    "load_topics",
]
