"""rasa_sdk action server: thin adapters from the tracker to aftersales/ and back to messages."""
