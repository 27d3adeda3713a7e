"""The rule catalog: its schema (``schema``), how it is loaded from YAML (``loader``) and the vocabulary
of concepts and artist questions it is written in (``vocabulary``)."""

from tosscan.catalog.loader import Catalog, default_rules_dir, load_catalog
from tosscan.catalog.schema import SEVERITIES, Rule
from tosscan.catalog.vocabulary import Question, good_concepts, load_concepts, load_questions

__all__ = ["SEVERITIES", "Catalog", "Question", "Rule", "default_rules_dir", "good_concepts", "load_catalog",
           "load_concepts", "load_questions"]
