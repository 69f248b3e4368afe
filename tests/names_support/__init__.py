"""Node modules for tests/test_names.py: functions and types whose names clash across modules."""
