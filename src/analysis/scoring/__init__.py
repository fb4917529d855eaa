"""Facts → scores: the facts table, the methodology files and the one scoring engine, history."""
