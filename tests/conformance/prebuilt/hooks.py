"""Hooks around the model: a pre-model hook that trims the history, one that adds a message,
and a post-model hook of an agent without tools."""

from flowc_demo.fake_chat import ToolCallingFakeModel, weather_model
from langchain_core.messages import AIMessage, SystemMessage
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder
from langchain_core.runnables import RunnableLambda
from langgraph.prebuilt import create_react_agent


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    return f"It's always sunny in {city}!"


def trim(state):
    return {"llm_input_messages": state["messages"][-2:]}


def remind(state):
    return {"messages": [SystemMessage("Be brief.", id=f"remind-{len(state['messages'])}")]}


def review(state):
    return {"messages": [AIMessage("(reviewed)", id="review")]}


def prompt(state):
    return [SystemMessage("You are a weather bot."), *state["messages"]]


trimmed = create_react_agent(
    model=weather_model(), tools=[get_weather], pre_model_hook=trim, version="v1"
)
reminded = create_react_agent(
    model=weather_model(), tools=[get_weather], pre_model_hook=remind, prompt=prompt, version="v1"
)
reviewed = create_react_agent(
    model=ToolCallingFakeModel(responses=[AIMessage("Hi.", id="hi")]),
    tools=[],
    post_model_hook=review,
    version="v1",
)

as_runnables = create_react_agent(
    model=weather_model(),
    tools=[get_weather],
    pre_model_hook=RunnableLambda(remind),
    prompt=ChatPromptTemplate.from_messages(
        [("system", "You are a weather bot."), MessagesPlaceholder("messages")]
    ),
    version="v1",
)

as_system_message = create_react_agent(
    model=weather_model(),
    tools=[get_weather],
    prompt=SystemMessage("You are a weather bot."),
    version="v1",
)

GRAPHS = ["trimmed", "reminded", "reviewed", "as_runnables", "as_system_message"]
INPUTS = [{"messages": [{"role": "user", "content": "what is the weather in sf"}]}]
