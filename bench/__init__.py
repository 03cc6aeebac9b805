"""`make bench`: our stack against a stock `rasa init` assistant under the same load."""
