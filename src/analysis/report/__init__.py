"""Scores → what people read: tables, sentences, charts, the offline HTML and the Word report."""
