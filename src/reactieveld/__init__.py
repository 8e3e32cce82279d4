"""reactieveld: moderate, tag and remember an organisation's live comment threads."""

__version__ = "0.1.0"
