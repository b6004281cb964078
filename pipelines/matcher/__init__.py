"""Pure rules engine: finds sentences where two named parties relate, with graded evidence;
a topic is either that rules form or a query (quick topics), read by the same Matcher."""

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
