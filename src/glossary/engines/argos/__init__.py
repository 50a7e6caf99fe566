"""Argos Translate packages (`packages`) and the engine that runs them (`engine`)."""
