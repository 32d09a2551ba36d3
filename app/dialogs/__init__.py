"""One dialog per command; each builds a command and submits it through the controller."""
