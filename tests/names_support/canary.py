"""Imported only if text from a spec ran as code: the hostile-spec property checks it never is."""

RAN = True
