"""cxpress: French customer-relationship trade press, from raw captures to shareable findings."""

__version__ = "0.1.0"
