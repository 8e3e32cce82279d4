"""Reports out of the read side: Markdown, CSV and JSON Lines, redaction, and the one
atomic file write."""
