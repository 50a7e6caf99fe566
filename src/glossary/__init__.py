"""glossary: Dutch→English terminology mining, termbase, enforced translation and CAT exchange.

Importing the package is cheap; heavy libraries (ctranslate2, lxml,
wordfreq...) are imported by the modules that need them, when they need them.
"""

__version__ = "0.1.0"
