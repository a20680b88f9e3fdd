"""Catalog data authored for opsconsole (installed as ``opsconsole.resources``)."""
