"""Synthetic demo organisations for trying the dashboard: ``python -m data.demo.generate``."""
