"""Optional integrations with chat-model clients, for ``messages`` mode.

* :mod:`flowc.integrations.langchain` (extra ``langchain``): any LangChain chat
  model called inside a node streams its tokens. The runtime loads it by
  itself when a run streams ``messages`` and ``langchain_core`` is installed.
* :mod:`flowc.integrations.openai_compat` (extra ``openai``): chat models
  behind any OpenAI-compatible endpoint, on the official ``openai`` SDK, whose
  tokens stream in ``messages`` mode; no LangChain needed.
"""
