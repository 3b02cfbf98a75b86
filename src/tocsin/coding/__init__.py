"""Coding tables: CAMEO codes (Goldstein, QuadClass, PLOVER) and the predicate lexicon."""
from tocsin.coding.lexicon import LexEntry, Lexicon
from tocsin.coding.ontology import QUAD_CLASS_NAMES, CameoCode, all_codes, cameo

__all__ = ["CameoCode", "cameo", "all_codes", "QUAD_CLASS_NAMES", "LexEntry", "Lexicon"]
