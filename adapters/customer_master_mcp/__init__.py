"""The MCP server of customer-master (SPEC R-16.4)."""
