"""Rasa training data (YAML) and the project's own NLU components (nlu/components)."""
