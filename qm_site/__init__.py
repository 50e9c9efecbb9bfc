"""qm-site: a static site generator for China's Quality Month (质量月) campaigns."""

__version__ = "0.1.0"
