"""Optional integrations with chat-model clients, for ``messages`` mode.

* :mod:`flowc.integrations.langchain` (extra ``langchain``): any LangChain chat
  model called inside a node streams its tokens. The runtime loads it by
  itself when a run streams ``messages`` and ``langchain_core`` is installed.
* :mod:`flowc.integrations.openai_compat` (extra ``http``): flowc's own client
  for OpenAI-compatible chat-completions endpoints, with server-sent-event
  streaming on httpx; no LangChain needed.
"""
