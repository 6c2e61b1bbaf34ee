"""Huoban HTTP API and command line."""
