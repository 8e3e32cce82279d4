"""The read side, free of Textual: search (the query language), the dialogue figures and
export records, used by the TUI and the command line alike."""
