"""The dealer's after-sales service domain: the core every adapter (actions/, bot/) calls.

It imports neither Rasa nor Telegram, so its rules can be unit-tested on their own.
"""
