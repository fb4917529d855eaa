"""In: reading files, portal responses and one-stop-shop records into checked tables."""
