"""The Textual app: the queue, the response view and the keyboard triage."""
