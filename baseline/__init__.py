"""ssdf-baseline: assess a source repository against the NIST SSDF (SP 800-218)."""

__version__ = "0.1.0"
