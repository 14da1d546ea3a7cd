"""Identity: who is calling (verified bearer tokens) and what they may see or change."""
