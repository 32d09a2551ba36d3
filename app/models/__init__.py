"""Qt item models over the book's read models; one module per table."""
