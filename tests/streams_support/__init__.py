"""Node functions for tests/test_stream_analysis.py, in a module of their own (as users' are)."""
