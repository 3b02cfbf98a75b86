"""From the dependency parse to event predicates, their arguments and their modality."""
