"""Sabueso: evidence-backed knowledge graphs from reporting on organized crime."""
__version__ = "0.1.0"
