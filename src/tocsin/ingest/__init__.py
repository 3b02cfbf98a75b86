"""Reading inputs into Article objects (or Skipped, with the reason)."""
