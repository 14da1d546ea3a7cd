"""The HTTP route toolkit: a floor above `shared` and `identity`, because it verifies tokens."""
