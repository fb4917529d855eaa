"""Running the suite: the notebooks, the monthly cycle, collection, locks and the report swap."""
