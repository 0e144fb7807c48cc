"""Renderers and writers: results to terminal, JSON, CSV and Markdown; atomic file output."""
