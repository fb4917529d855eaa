"""The data contract: what every stage agrees on (periods; schemas, levels and vocabularies)."""
