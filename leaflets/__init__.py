"""leaflets: patient-information text → translated, print-ready A4 PDF leaflets."""
__version__ = "0.1.0"
