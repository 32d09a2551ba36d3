"""The domain layer's tests: this folder holds the given/when/then helpers they share
(``domain_given``), importable from every subfolder."""
