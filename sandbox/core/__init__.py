"""The pure domain of the fake: state, rules and time. Never imports Starlette."""
