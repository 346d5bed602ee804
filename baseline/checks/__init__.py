"""Checks: each gathers and judges one narrow fact and returns Evidence."""
