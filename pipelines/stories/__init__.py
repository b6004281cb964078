"""Story grouping: one story, many reports (wire copy, rewrites, the other language's edition).

Pure core, no storage: :class:`StoryIndex` takes articles one by one and says which story
each belongs to; its state is plain data for a store to persist.
"""

from pipelines.stories.index import Article, Assignment, StoryIndex, StoryParams

__all__ = ["Article", "Assignment", "StoryIndex", "StoryParams"]
