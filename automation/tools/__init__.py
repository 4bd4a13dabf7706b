"""The engine's tools: what an agent (local or Claude) may look up or do for a shopper.

The shop's policy lives here, in code: whatever an agent asks, a tool only ever touches the
calling shopper's own data, and only within the rules (statuses, return window,
confirmation read back to the shopper and answered by them).
"""

from automation.tools.toolbox import Toolbox, ToolResult

__all__ = ["Toolbox", "ToolResult"]
