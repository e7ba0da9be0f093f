"""accord: model multi-party political negotiations and forecast them."""

__version__ = "0.1.0"
