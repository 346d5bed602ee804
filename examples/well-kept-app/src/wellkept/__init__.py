"""wellkept: a tiny inventory service used as a well-kept example repository."""

__all__ = ["__version__"]

__version__ = "1.2.0"
