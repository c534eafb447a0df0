"""Extractors: one module per source kind, each turning a document into a Grid."""
